package io.github.facetoon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules: the engine knows nothing of the UI or the command line. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.facetoon");
    }

    @Test
    void engineDoesNotDependOnUiOrCli() {
        noClasses().that().resideInAnyPackage("io.github.facetoon.engine..", "io.github.facetoon.config..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("javafx..", "org.controlsfx..", "picocli..", "io.github.facetoon.app..",
                        "io.github.facetoon.cli..")
                .check(classes);
    }

    @Test
    void cliDoesNotDependOnJavaFx() {
        noClasses().that().resideInAPackage("io.github.facetoon.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "io.github.facetoon.app..")
                .check(classes);
    }

    @Test
    void openCvStaysInsideTheEngine() {
        noClasses().that().resideOutsideOfPackage("io.github.facetoon.engine..")
                .should().dependOnClassesThat().resideInAPackage("org.opencv..")
                .because("images leave the engine as PixelImage; the UI and the command line never hold a Mat")
                .check(classes);
    }

    @Test
    void onlyTheCommandLinePrints() {
        noClasses().that().resideOutsideOfPackage("io.github.facetoon.cli..")
                .and().doNotHaveFullyQualifiedName("io.github.facetoon.Main")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .because("the engine and the studio log; what a user reads on the console is the command line's")
                .check(classes);
    }

    @Test
    void appDoesNotDependOnCli() {
        noClasses().that().resideInAPackage("io.github.facetoon.app..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "io.github.facetoon.cli..")
                .check(classes);
    }
}

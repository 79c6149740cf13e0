package io.github.facetoon.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class I18nTest {

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = I18nTest.class.getResourceAsStream("/io/github/facetoon/app/i18n/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void chineseHasEveryEnglishKeyAndNoOthers() throws IOException {
        TreeSet<String> en = new TreeSet<>(load("studio.properties").stringPropertyNames());
        TreeSet<String> zh = new TreeSet<>(load("studio_zh_CN.properties").stringPropertyNames());
        assertEquals(en, zh);
    }

    @Test
    void chineseLocalesGetChineseTextsAndOthersEnglish() {
        assertEquals("训练", new I18n(Locale.CHINA).tr("tab.train"));
        assertEquals("训练", new I18n(Locale.forLanguageTag("zh-TW")).tr("tab.train"));
        assertEquals("Train", new I18n(Locale.GERMANY).tr("tab.train"));
    }

    @Test
    void messagesAreFormattedAndMissingKeysShowThemselves() {
        I18n en = I18n.english();
        assertEquals("3 of 12 photos", en.tr("cartoonize.batch", 3, 12));
        assertEquals("1 file will be skipped", en.tr("train.data.bad", 1));
        assertEquals("2 files will be skipped", en.tr("train.data.bad", 2));
        assertEquals("no.such.key", en.tr("no.such.key"));
        assertFalse(en.tr("train.progress", 1200, 100000, "3.40", "8:10").contains("{"));
    }
}

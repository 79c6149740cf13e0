package io.github.facetoon.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PlainTextTest {

    @Test
    void markdownReadsAsPlainText() {
        String md = "# Shipped weights\n\n**Face detector**: `lbpcascade.xml` from [OpenCV](https://opencv.org), BSD.\n"
                + "- one\n\n| file | licence |\n|---|---|\n| a.bin | MIT |\n";
        assertEquals("SHIPPED WEIGHTS\n\nFace detector: lbpcascade.xml from OpenCV (https://opencv.org), BSD.\n• one\n\n"
                + "file  licence\na.bin  MIT\n", PlainText.fromMarkdown(md));
    }
}

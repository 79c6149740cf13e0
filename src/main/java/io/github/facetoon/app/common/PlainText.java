package io.github.facetoon.app.common;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Markdown as people read it in a text box: no #, **, backticks, link syntax or table rules. */
public final class PlainText {

    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\(([^)]+)\\)");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*|__([^_]+)__");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern RULE = Pattern.compile("^\\s*\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?\\s*$");

    private PlainText() {}

    /**
     * Turns Markdown into plain text: headings lose their #, emphasis and code marks go, links become
     * "text (address)", bullets become "•", table rows become columns separated by two spaces.
     *
     * @param markdown the text
     * @return the plain text
     */
    public static String fromMarkdown(String markdown) {
        List<String> out = new ArrayList<>();
        for (String line : markdown.split("\\R", -1)) {
            if (RULE.matcher(line).matches()) {
                continue;
            }
            String l = line;
            if (l.startsWith("#")) {
                l = l.replaceFirst("^#+\\s*", "").toUpperCase(java.util.Locale.ROOT);
            }
            if (l.trim().startsWith("|")) {
                String t = l.trim();
                t = t.substring(1, t.endsWith("|") ? t.length() - 1 : t.length());
                l = String.join("  ", java.util.Arrays.stream(t.split("\\|")).map(String::trim).toList());
            }
            l = l.replaceFirst("^(\\s*)[-*] ", "$1• ");
            l = LINK.matcher(l).replaceAll("$1 ($2)");
            l = BOLD.matcher(l).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                    m.group(1) != null ? m.group(1) : m.group(2)));
            l = CODE.matcher(l).replaceAll("$1");
            out.add(l);
        }
        return String.join("\n", out);
    }
}

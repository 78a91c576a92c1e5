package dev.realtime.http;

/** JSON string literals written by hand on the hot path (one per frame per write), ASCII only. */
public final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** {@code s} as a JSON string literal, quotes included, with every character outside printable ASCII escaped. */
    public static String asciiString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        appendAsciiString(out, s);
        return out.toString();
    }

    /** Appends {@code s} as a JSON string literal, quotes included, every character outside printable ASCII escaped. */
    public static void appendAsciiString(StringBuilder out, String s) {
        out.append('"');
        int from = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
        out.append(s, from, s.length());
        out.append('"');
    }
}

package io.github.otlpfile.cli;

/**
 * Makes text from the files safe to print on a terminal: control characters (C0, DEL, C1, which
 * include the escape that starts an ANSI sequence), line and paragraph separators and the Unicode
 * format characters that reorder or hide text (bidirectional overrides, zero-width characters) are
 * written as visible escapes ({@code \n}, {@code \x1b}, {@code \u202e}); everything else is kept.
 * Values can also be cut to a length.
 *
 * <p>Thread-safe (stateless).
 */
final class TerminalText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TerminalText() {}

  /** {@code value} with every unsafe character escaped. */
  static String escape(CharSequence value) {
    int length = value.length();
    int i = 0;
    while (i < length && isSafe(value.charAt(i))) {
      i++;
    }
    if (i == length) {
      return value.toString();
    }
    StringBuilder out = new StringBuilder(length + 16);
    out.append(value, 0, i);
    for (; i < length; i++) {
      appendEscaped(out, value.charAt(i));
    }
    return out.toString();
  }

  /**
   * {@code value} escaped and cut to about {@code maxChars} characters, with {@code …} and the
   * number of characters left out.
   */
  static String escape(CharSequence value, int maxChars) {
    if (value.length() <= maxChars) {
      return escape(value);
    }
    int cut = maxChars;
    if (Character.isHighSurrogate(value.charAt(cut - 1))) {
      cut--;
    }
    return escape(value.subSequence(0, cut)) + "…(+" + (value.length() - cut) + " chars)";
  }

  static boolean isSafe(char c) {
    if (c >= 0x20 && c < 0x7f) {
      return true;
    }
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      return false;
    }
    if (c == '\u2028' || c == '\u2029' || c == '\ufeff') {
      return false;
    }
    if (Character.isSurrogate(c)) {
      return true;
    }
    return Character.getType(c) != Character.FORMAT;
  }

  private static void appendEscaped(StringBuilder out, char c) {
    if (isSafe(c)) {
      out.append(c);
      return;
    }
    switch (c) {
      case '\n':
        out.append("\\n");
        return;
      case '\r':
        out.append("\\r");
        return;
      case '\t':
        out.append("\\t");
        return;
      default:
        break;
    }
    if (c <= 0xff) {
      out.append("\\x").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    } else {
      out.append("\\u")
          .append(HEX[(c >> 12) & 0xf])
          .append(HEX[(c >> 8) & 0xf])
          .append(HEX[(c >> 4) & 0xf])
          .append(HEX[c & 0xf]);
    }
  }
}

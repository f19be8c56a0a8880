package io.github.otlpfile.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counts per name with a cap on distinct names: once {@code maxNames} are held, counts of new names
 * go to "other", so memory stays bounded whatever the files hold. Names longer than 200 characters
 * are cut to keep each entry small.
 *
 * <p>Not thread-safe.
 */
final class CappedCounts {
  static final String OTHER = "(other)";
  private static final int MAX_NAME_CHARS = 200;

  private final int maxNames;
  private final Map<String, long[]> counts = new HashMap<>();
  private long other;
  private long otherNames;

  CappedCounts(int maxNames) {
    this.maxNames = maxNames;
  }

  void add(String name, long n) {
    long[] count = counts.get(name);
    if (count == null) {
      if (name.length() > MAX_NAME_CHARS) {
        name = name.substring(0, MAX_NAME_CHARS);
        count = counts.get(name);
      }
      if (count == null) {
        if (counts.size() >= maxNames) {
          other += n;
          otherNames++;
          return;
        }
        count = new long[1];
        counts.put(name, count);
      }
    }
    count[0] += n;
  }

  long get(String name) {
    long[] count = counts.get(name);
    return count == null ? 0 : count[0];
  }

  long other() {
    return other;
  }

  int distinct() {
    return counts.size();
  }

  /** The entries, largest count first, names in order for equal counts. */
  List<Map.Entry<String, long[]>> sorted() {
    List<Map.Entry<String, long[]>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(
        (a, b) -> {
          int c = Long.compare(b.getValue()[0], a.getValue()[0]);
          return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
    return entries;
  }

  void writeJson(JsonGenerator json, String field) throws IOException {
    json.writeObjectFieldStart(field);
    for (Map.Entry<String, long[]> e : sorted()) {
      json.writeNumberField(e.getKey(), e.getValue()[0]);
    }
    if (other > 0) {
      json.writeNumberField(OTHER, other);
    }
    json.writeEndObject();
  }

  void writeText(Console console, String title, String unit, int top) {
    if (counts.isEmpty()) {
      return;
    }
    PrintWriter out = console.out();
    out.println();
    out.printf(Locale.ROOT, "%-50s %12s%n", console.style(Console.BOLD, title), unit);
    List<Map.Entry<String, long[]>> entries = sorted();
    long rest = other;
    for (int i = 0; i < entries.size(); i++) {
      if (i < top) {
        out.printf(
            Locale.ROOT,
            "%-50s %12d%n",
            Console.text(entries.get(i).getKey(), 50),
            entries.get(i).getValue()[0]);
      } else {
        rest += entries.get(i).getValue()[0];
      }
    }
    if (rest > 0) {
      int restNames = Math.max(0, entries.size() - top);
      out.printf(
          Locale.ROOT,
          "%-50s %12d%n",
          "(" + restNames + (otherNames > 0 ? "+" : "") + " more)",
          rest);
    }
  }
}

package dev.dagflow.http.api.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of a request, percent-decoded as UTF-8, read by name with the name in
 * every refusal: a parameter a route does not take, given twice, of the wrong form or out of
 * range is a 400 naming it.
 */
final class Query {
  private final Map<String, List<String>> values;

  private Query(Map<String, List<String>> values) {
    this.values = values;
  }

  static Query parse(Optional<String> raw) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    raw.filter(q -> !q.isEmpty()).ifPresent(q -> {
      for (String pair : q.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq), "query", true);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name, true);
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
    });
    return new Query(values);
  }

  /**
   * Decodes percent escapes of {@code raw} as UTF-8 ({@code +} as a space in a query).
   *
   * @throws ApiException 400 naming {@code field} for a broken escape or bytes not UTF-8
   */
  static String decode(String raw, String field, boolean plusIsSpace) {
    if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
        if (lo < 0) {
          throw ApiException.badField(field, "has a broken percent escape");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badField(field, "is not valid UTF-8 once percent-decoded");
    }
  }

  /** Refuses any parameter but {@code allowed}. */
  Query only(Set<String> allowed) {
    for (String name : values.keySet()) {
      if (!allowed.contains(name)) {
        throw ApiException.badField(name, "is not a parameter of this route; it takes "
            + (allowed.isEmpty() ? "none" : new TreeSet<>(allowed).toString()));
      }
    }
    return this;
  }

  Optional<String> string(String name) {
    List<String> v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v.size() > 1) {
      throw ApiException.badField(name, "is given " + v.size() + " times; give it once");
    }
    if (v.get(0).isEmpty()) {
      throw ApiException.badField(name, "must not be empty");
    }
    return Optional.of(v.get(0));
  }

  /** A whole number from {@code min} to {@code max}. */
  Optional<Long> number(String name, long min, long max) {
    return string(name).map(s -> {
      long n;
      try {
        n = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw ApiException.badField(name, "must be a whole number from " + min + " to " + max
            + ", got '" + cut(s) + "'");
      }
      if (n < min || n > max) {
        throw ApiException.badField(name, "must be from " + min + " to " + max + ", got " + n);
      }
      return n;
    });
  }

  int integer(String name, int min, int max, int dflt) {
    return number(name, min, max).map(Long::intValue).orElse(dflt);
  }

  Optional<Instant> instant(String name) {
    return string(name).map(s -> {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw ApiException.badField(name, "must be an ISO-8601 instant such as "
            + "2026-01-01T00:00:00Z, got '" + cut(s) + "'");
      }
    });
  }

  /** A list of enum constants, comma-separated or repeated, any case. */
  <E extends Enum<E>> List<E> constants(String name, Class<E> type) {
    List<String> raw = values.getOrDefault(name, List.of());
    List<E> out = new ArrayList<>();
    for (String v : raw) {
      for (String item : v.split(",", -1)) {
        out.add(constant(name, item, type));
      }
    }
    return out;
  }

  static <E extends Enum<E>> E constant(String name, String item, Class<E> type) {
    try {
      return Enum.valueOf(type, item.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badField(name, "must be one of " + Arrays.toString(
          type.getEnumConstants()) + ", got '" + cut(item) + "'");
    }
  }

  static String cut(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}

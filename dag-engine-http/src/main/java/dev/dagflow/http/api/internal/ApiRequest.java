package dev.dagflow.http.api.internal;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request as a transport adapter hands it to {@link ApiCore}: method, the raw (still
 * percent-encoded) path below the API's mount point, the raw query, the headers and the body,
 * read by the core only when the route takes one and only up to the size limit.
 *
 * @param contentLength the declared length of the body; -1 if not declared
 */
public record ApiRequest(String method, String rawPath, Optional<String> rawQuery,
    Map<String, List<String>> headers, InputStream body, long contentLength) {

  public ApiRequest {
    Map<String, List<String>> lower = new TreeMap<>();
    headers.forEach((name, values) -> {
      if (name != null) {
        lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .addAll(values);
      }
    });
    headers = lower;
  }

  /** The first value of header {@code name} (any case); empty if absent. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}

package dev.dagflow.http.engine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs callbacks as the remote engine does, written apart from the receiver's own code. */
final class Signer {
  static final byte[] SECRET = "a shared secret, 32 bytes long!!".getBytes(StandardCharsets.UTF_8);

  private Signer() {
  }

  static String sign(byte[] secret, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    return "sha256=" + HexFormat.of().formatHex(digest);
  }

  /** The headers of a callback signed at {@code time} with event id {@code id}. */
  static Map<String, List<String>> headers(Instant time, String id, String body)
      throws Exception {
    String ts = Long.toString(time.getEpochSecond());
    return Map.of("X-Dagflow-Timestamp", List.of(ts),
        "X-Dagflow-Signature", List.of(sign(SECRET, ts, body)),
        "X-Dagflow-Event-Id", List.of(id));
  }

  /** POSTs a callback to {@code uri} and returns its status. */
  static int post(HttpClient http, URI uri, Map<String, List<String>> headers, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}

package dev.dagflow.http.api.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ApiCore} answers: a status, headers and either a body or, for a Server-Sent Events
 * stream, a writer the adapter runs once it has sent the headers.
 */
public final class ApiResponse {
  /** Writes a streamed body; returns when the stream ends or the client went away. */
  @FunctionalInterface
  public interface Stream {
    /** Writes to {@code out}, flushing what the client must see at once. */
    void write(OutputStream out) throws IOException;
  }

  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;
  private final Stream stream;

  ApiResponse(int status, Map<String, String> headers, byte[] body, Stream stream) {
    this.status = status;
    this.headers = new LinkedHashMap<>(headers);
    this.body = body;
    this.stream = stream;
  }

  public int status() {
    return status;
  }

  /** The headers to send; the adapter adds none but what its server must. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The whole body; empty for a stream. */
  public byte[] body() {
    return body == null ? new byte[0] : body;
  }

  /** The stream to write after the headers; empty for a plain body. */
  public Optional<Stream> stream() {
    return Optional.ofNullable(stream);
  }
}

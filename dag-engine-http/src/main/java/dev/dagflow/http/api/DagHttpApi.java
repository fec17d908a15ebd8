package dev.dagflow.http.api;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.http.api.internal.ApiCore;
import java.util.Objects;

/**
 * The REST API over a {@link DagEngine}: routes under {@code /api/v1/projects/{project}/…} for
 * templates, runs, policies, triggers, schedules and events, answering {@code
 * {"code","message","data"}} JSON (see {@code docs/http-api.md}). Built with {@link
 * #builder(DagEngine)}; served by a transport adapter: {@link DagHttpHandler} on the JDK's
 * {@code HttpServer}, {@link DagHttpServlet} in a servlet container.
 *
 * <pre>{@code
 * DagHttpApi api = DagHttpApi.builder(engine).authenticator(tokens).build();
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 0);
 * server.createContext("/", new DagHttpHandler(api));
 * server.start();
 * }</pre>
 *
 * <p>Immutable and thread-safe: one instance serves any number of requests at once. It owns no
 * thread; the server's threads run the requests.
 */
public final class DagHttpApi {
  /** The default largest request body: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
  /** The largest request body limit that may be set: 256 MiB, the JSON document limit. */
  public static final int MAX_BODY_BYTES_LIMIT = 256 << 20;

  private final ApiCore core;

  private DagHttpApi(Builder b) {
    this.core = new ApiCore(b.engine, b.authenticator, b.maxBodyBytes);
  }

  /**
   * A builder for the API over {@code engine}, which the host starts and closes.
   *
   * @throws NullPointerException if {@code engine} is {@code null}
   */
  public static Builder builder(DagEngine engine) {
    return new Builder(Objects.requireNonNull(engine, "engine"));
  }

  /** The handler core the adapters of this package serve. */
  ApiCore core() {
    return core;
  }

  /** The largest request body in bytes; a longer one is refused with 413. */
  public int maxBodyBytes() {
    return core.maxBodyBytes();
  }

  /**
   * Builds a {@link DagHttpApi}. Not thread-safe. Each setter checks its argument and may be
   * called once.
   */
  public static final class Builder {
    private final DagEngine engine;
    private Authenticator authenticator;
    private int maxBodyBytes = -1;

    private Builder(DagEngine engine) {
      this.engine = engine;
    }

    /**
     * Who the bearer tokens of requests stand for. Required: the API answers no project route
     * without a principal.
     *
     * @throws NullPointerException if {@code authenticator} is {@code null}
     * @throws IllegalStateException if already set
     */
    public Builder authenticator(Authenticator authenticator) {
      Objects.requireNonNull(authenticator, "authenticator");
      if (this.authenticator != null) {
        throw new IllegalStateException("authenticator was already set");
      }
      this.authenticator = authenticator;
      return this;
    }

    /**
     * The largest request body in bytes; default {@link #DEFAULT_MAX_BODY_BYTES}.
     *
     * @throws IllegalArgumentException naming {@code maxBodyBytes} unless 1 to {@link
     *     #MAX_BODY_BYTES_LIMIT}
     * @throws IllegalStateException if already set
     */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1 || bytes > MAX_BODY_BYTES_LIMIT) {
        throw new IllegalArgumentException("maxBodyBytes must be 1 to " + MAX_BODY_BYTES_LIMIT
            + ", got " + bytes);
      }
      if (maxBodyBytes != -1) {
        throw new IllegalStateException("maxBodyBytes was already set to " + maxBodyBytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Builds the API.
     *
     * @throws IllegalStateException if no authenticator was set
     */
    public DagHttpApi build() {
      if (authenticator == null) {
        throw new IllegalStateException("authenticator is required: the API serves no request "
            + "without knowing who asks");
      }
      if (maxBodyBytes == -1) {
        maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
      }
      return new DagHttpApi(this);
    }
  }
}

package dev.dagflow.http.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dagflow.http.api.internal.ApiRequest;
import dev.dagflow.http.api.internal.ApiResponse;
import dev.dagflow.http.api.internal.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The transport adapter for the JDK's {@code com.sun.net.httpserver.HttpServer}: mount it on a
 * context, and the API's routes answer below the context's path ({@code /} gives {@code
 * /api/v1/…}; {@code /dagflow} gives {@code /dagflow/api/v1/…}).
 *
 * <p>Thread-safe; requests run on the server's executor (set one with {@code
 * HttpServer.setExecutor}, or a Server-Sent Events stream holds the server's only thread).
 */
public final class DagHttpHandler implements HttpHandler {
  private final DagHttpApi api;

  /** An adapter serving {@code api}. @throws NullPointerException if it is {@code null} */
  public DagHttpHandler(DagHttpApi api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String context = exchange.getHttpContext().getPath();
      String path = exchange.getRequestURI().getRawPath();
      if (context.endsWith("/")) {
        context = context.substring(0, context.length() - 1);
      }
      path = path.startsWith(context) ? path.substring(context.length()) : path;
      ApiRequest request = new ApiRequest(exchange.getRequestMethod(), path,
          Optional.ofNullable(exchange.getRequestURI().getRawQuery()),
          exchange.getRequestHeaders(), exchange.getRequestBody(),
          Transport.length(exchange.getRequestHeaders().getFirst("Content-Length")));
      ApiResponse response = api.core().handle(request);
      // what the route did not read is read and dropped, so that the client sees the answer
      // rather than a connection reset while it still sends
      Transport.drain(exchange.getRequestBody(), api.maxBodyBytes());
      response.headers().forEach(exchange.getResponseHeaders()::set);
      if (response.stream().isPresent()) {
        exchange.sendResponseHeaders(response.status(), 0);
        OutputStream out = exchange.getResponseBody();
        response.stream().get().write(out);
      } else {
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          exchange.getResponseBody().write(body);
        }
      }
    }
  }
}

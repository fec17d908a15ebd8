package dev.dagflow.http.api;

import dev.dagflow.http.api.internal.ApiRequest;
import dev.dagflow.http.api.internal.ApiResponse;
import dev.dagflow.http.api.internal.Transport;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The transport adapter for a Jakarta Servlet container (Tomcat, Jetty, Spring's embedded
 * servers): register it under a path mapping such as {@code /dagflow/*}, and the API's routes
 * answer below it ({@code /dagflow/api/v1/…}). The servlet API is the host's: this module only
 * compiles against it.
 *
 * <p>Thread-safe; requests run on the container's threads, a Server-Sent Events stream holding
 * its thread while it lasts.
 */
public final class DagHttpServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient DagHttpApi api;

  /** A servlet serving {@code api}. @throws NullPointerException if it is {@code null} */
  public DagHttpServlet(DagHttpApi api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String uri = req.getRequestURI();
    String prefix = req.getContextPath() + req.getServletPath();
    String path = uri.startsWith(prefix) ? uri.substring(prefix.length()) : uri;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(req.getHeaderNames())) {
      headers.put(name, new ArrayList<>(Collections.list(req.getHeaders(name))));
    }
    ApiRequest request = new ApiRequest(req.getMethod(), path,
        Optional.ofNullable(req.getQueryString()), headers, req.getInputStream(),
        req.getContentLengthLong());
    ApiResponse response = api.core().handle(request);
    Transport.drain(req.getInputStream(), api.maxBodyBytes());
    resp.setStatus(response.status());
    response.headers().forEach(resp::setHeader);
    if (response.stream().isPresent()) {
      resp.flushBuffer();
      response.stream().get().write(resp.getOutputStream());
    } else {
      byte[] body = response.body();
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }
}

package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dagflow.engine.DagEngine;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/http-api.md, compiled and run: mounting the API on the JDK's server and
 * in a servlet container, then calling it.
 */
class HttpApiDocsTest {
  private final HttpClient client = HttpClient.newHttpClient();

  private int status(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void onTheJdkServer() throws Exception {
    try (DagEngine engine = DagEngine.builder().handler("shell", ctx -> null).build()) {
      engine.start();
      // docs:start jdk
      DagHttpApi api = DagHttpApi.builder(engine)
          .authenticator(Authenticator.tokens(Map.of(
              "s3cr3t-ci", ApiPrincipal.readWrite("ci-bot", "shop"),
              "s3cr3t-dashboard", ApiPrincipal.readOnly("dashboard", "shop", "billing"))))
          .maxBodyBytes(4 << 20)   // 4 MiB: large specs
          .build();

      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      ExecutorService threads = Executors.newFixedThreadPool(16); // event streams hold one each
      server.setExecutor(threads);
      server.createContext("/", new DagHttpHandler(api));
      server.start();
      // docs:end
      try {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        assertThat(status(base + "/api/v1/projects/shop/runs", "s3cr3t-dashboard"))
            .isEqualTo(200);
        assertThat(status(base + "/api/v1/projects/shop/runs", null)).isEqualTo(401);
        assertThat(status(base + "/api/v1/projects/other/runs", "s3cr3t-ci")).isEqualTo(404);
      } finally {
        server.stop(0);
        threads.shutdownNow();
      }
    }
  }

  @Test
  void inAServletContainer() throws Exception {
    try (DagEngine engine = DagEngine.builder().handler("shell", ctx -> null).build()) {
      engine.start();
      DagHttpApi api = DagHttpApi.builder(engine).authenticator(token -> token.equals("t")
          ? Optional.of(ApiPrincipal.readWrite("me", "shop"))
          : Optional.empty()).build();
      Server jetty = new Server();
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      jetty.addConnector(connector);
      // docs:start servlet
      ServletContextHandler context = new ServletContextHandler();
      context.addServlet(new ServletHolder(new DagHttpServlet(api)), "/dagflow/*");
      jetty.setHandler(context);
      // docs:end
      jetty.start();
      try {
        String base = "http://127.0.0.1:" + connector.getLocalPort() + "/dagflow";
        assertThat(status(base + "/api/v1/projects/shop/templates", "t")).isEqualTo(200);
        assertThat(status(base + "/api/v1/openapi.json", null)).isEqualTo(200);
      } finally {
        jetty.stop();
      }
    }
  }
}

package dev.dagflow.http.api;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The two transports every route test runs through: the JDK's HttpServer with the API at its
 * root, and a servlet on an embedded Jetty 12 mounted at {@code /dagflow/*}; both on
 * 127.0.0.1, port 0.
 */
enum ServerKind {
  JDK {
    @Override
    Running start(DagHttpApi api) throws IOException {
      AtomicInteger n = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(16,
          r -> new Thread(r, "test-jdk-http-" + n.incrementAndGet()));
      HttpServer server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(pool);
      server.createContext("/", new DagHttpHandler(api));
      server.start();
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      return new Running(base, () -> {
        server.stop(0);
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      });
    }
  },
  SERVLET {
    @Override
    Running start(DagHttpApi api) throws Exception {
      Server server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      context.addServlet(new ServletHolder(new DagHttpServlet(api)), "/dagflow/*");
      server.setHandler(context);
      server.start();
      URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/dagflow");
      return new Running(base, server::stop);
    }
  };

  /** A server answering at {@code base}. */
  record Running(URI base, Stopper stopper) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      stopper.stop();
    }
  }

  interface Stopper {
    void stop() throws Exception;
  }

  abstract Running start(DagHttpApi api) throws Exception;
}

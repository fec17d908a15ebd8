package dev.dagflow.http.api.internal;

import static dev.dagflow.http.api.internal.Route.Access.PUBLIC;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The OpenAPI document at {@code /api/v1/openapi.json}, made from the route table, and Swagger
 * UI over it at {@code /api/v1/docs}, served from the {@code org.webjars:swagger-ui} jar on the
 * class path (no network): the page, and an allowlist of its assets.
 */
final class DocsRoutes {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
  private static final Map<String, String> ASSETS = Map.of(
      "swagger-ui.css", "text/css; charset=utf-8",
      "index.css", "text/css; charset=utf-8",
      "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
      "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
      "favicon-16x16.png", "image/png",
      "favicon-32x32.png", "image/png");
  private static final String PAGE = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
        <meta charset="UTF-8">
        <title>dagflow REST API</title>
        <link rel="stylesheet" href="docs/swagger-ui.css">
        <link rel="stylesheet" href="docs/index.css">
        <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32">
      </head>
      <body>
        <div id="swagger-ui"></div>
        <script src="docs/swagger-ui-bundle.js"></script>
        <script src="docs/swagger-ui-standalone-preset.js"></script>
        <script>
          window.ui = SwaggerUIBundle({url: "openapi.json", dom_id: "#swagger-ui",
            presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
            layout: "StandaloneLayout"});
        </script>
      </body>
      </html>
      """;

  private final Supplier<List<Route>> routes;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();
  private volatile byte[] document;

  DocsRoutes(Supplier<List<Route>> routes) {
    this.routes = routes;
  }

  List<Route> routes() {
    return List.of(
        new Route("GET", Paths.API + "/openapi.json", PUBLIC,
            "The OpenAPI 3 document of this API", Set.of(), "", call -> openApi()),
        new Route("GET", Paths.API + "/docs", PUBLIC, "Swagger UI over the OpenAPI document",
            Set.of(), "", call -> Responses.raw(200, "text/html; charset=utf-8",
                PAGE.getBytes(StandardCharsets.UTF_8))),
        new Route("GET", Paths.API + "/docs/{asset}", PUBLIC, "An asset of Swagger UI",
            Set.of(), "", this::asset));
  }

  private ApiResponse openApi() {
    byte[] doc = document;
    if (doc == null) {
      doc = Bodies.write(OpenApi.document(routes.get()));
      document = doc; // the table never changes: two threads build the same bytes
    }
    return Responses.raw(200, Responses.JSON, doc);
  }

  private ApiResponse asset(Call call) {
    String name = call.path("asset");
    String type = ASSETS.get(name);
    if (type == null) {
      throw ApiException.notFound("asset '" + Query.cut(name) + "'");
    }
    byte[] bytes = cache.computeIfAbsent(name, DocsRoutes::load);
    if (bytes.length == 0) {
      throw ApiException.notFound("Swagger UI (org.webjars:swagger-ui is not on the class path)"
          + ", asset '" + name + "'");
    }
    ApiResponse response = Responses.raw(200, type, bytes);
    response.headers().put("Cache-Control", "public, max-age=86400");
    return response;
  }

  /** The asset's bytes from the webjar; empty if the webjar is absent. */
  private static byte[] load(String name) {
    ClassLoader loader = DocsRoutes.class.getClassLoader();
    try (InputStream pom = loader.getResourceAsStream(WEBJAR_POM)) {
      if (pom == null) {
        return new byte[0];
      }
      Properties props = new Properties();
      props.load(pom);
      try (InputStream in = loader.getResourceAsStream(WEBJAR + props.getProperty("version")
          + "/" + name)) {
        return in == null ? new byte[0] : in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Swagger UI's asset " + name + " could not be read", e);
    }
  }
}

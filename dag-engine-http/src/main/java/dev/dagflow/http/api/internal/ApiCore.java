package dev.dagflow.http.api.internal;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.http.api.ApiPrincipal;
import dev.dagflow.http.api.Authenticator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler core, independent of any server: a request in, a response out. It finds the
 * route (404 for no path, 405 for no method), authenticates the bearer token (401), checks the
 * principal may see the route's project (404 if not, so another project's things stay hidden)
 * and change it where the route changes (403), then runs the route, mapping every exception
 * onto a JSON error. Thread-safe: it holds no state of its own but the route table.
 */
public final class ApiCore {
  private static final Logger LOG = LoggerFactory.getLogger(ApiCore.class);
  private static final String BEARER = "bearer ";
  /** dagflow's id rule, of every project, run, node, template, policy, trigger, schedule. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final Authenticator authenticator;
  private final int maxBody;
  private final List<Route> routes;

  public ApiCore(DagEngine engine, Authenticator authenticator, int maxBody) {
    Objects.requireNonNull(engine, "engine");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.maxBody = maxBody;
    List<Route> all = new ArrayList<>();
    all.addAll(new TemplateRoutes(engine).routes());
    all.addAll(new RunRoutes(engine).routes());
    all.addAll(new RunControlRoutes(engine).routes());
    all.addAll(new PolicyRoutes(engine).routes());
    all.addAll(new TriggerRoutes(engine).routes());
    all.addAll(new ScheduleRoutes(engine).routes());
    all.addAll(new EventRoutes(engine).routes());
    RunEventHub hub = new RunEventHub();
    engine.addListener(hub);
    all.addAll(new RunEvents(engine, hub).routes());
    all.addAll(new DocsRoutes(this::routes).routes());
    this.routes = List.copyOf(all);
  }

  /** The largest request body in bytes. */
  public int maxBodyBytes() {
    return maxBody;
  }

  /** Every route the core answers, in table order. */
  public List<Route> routes() {
    return routes;
  }

  /** Answers {@code request}; never throws. */
  public ApiResponse handle(ApiRequest request) {
    try {
      return dispatch(request);
    } catch (RuntimeException e) {
      return Responses.error(Errors.map(e));
    }
  }

  private ApiResponse dispatch(ApiRequest request) {
    List<String> path = segments(request.rawPath());
    Route route = null;
    Map<String, String> params = null;
    TreeSet<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      Map<String, String> p = r.match(path);
      if (p != null) {
        allowed.add(r.method());
        if (r.method().equals(request.method().toUpperCase(Locale.ROOT))) {
          route = r;
          params = p;
          break;
        }
      }
    }
    if (route == null) {
      if (allowed.isEmpty()) {
        throw ApiException.of(404, "NOT_FOUND", null, "no route " + Query.cut(request.rawPath()));
      }
      ApiResponse refused = Responses.error(ApiException.of(405, "METHOD_NOT_ALLOWED", null,
          request.method() + " is not allowed here; allowed: " + allowed));
      refused.headers().put("Allow", String.join(", ", allowed));
      return refused;
    }
    ApiPrincipal principal = null;
    if (route.access() != Route.Access.PUBLIC) {
      principal = authenticate(request);
    }
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (!p.getKey().equals("version") && !ID.matcher(p.getValue()).matches()) {
        throw ApiException.notFound(p.getKey() + " '" + Query.cut(p.getValue()) + "'");
      }
    }
    if (principal != null) {
      String project = params.get("project");
      if (project != null) {
        if (!principal.canRead(project)) {
          throw ApiException.notFound("project '" + Query.cut(project) + "'");
        }
        if (route.access() == Route.Access.CHANGE && !principal.canChange(project)) {
          throw ApiException.of(403, "FORBIDDEN", null, "'" + principal.name()
              + "' may read project '" + project + "' but not change it");
        }
      }
    }
    Query query = Query.parse(request.rawQuery()).only(route.query());
    return route.handler().handle(new Call(request, params, query, principal, maxBody));
  }

  private ApiPrincipal authenticate(ApiRequest request) {
    Optional<String> header = request.header("Authorization");
    if (header.isEmpty()) {
      throw unauthorized("an Authorization: Bearer <token> header is required");
    }
    String value = header.get();
    if (value.length() <= BEARER.length()
        || !value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      throw unauthorized("the Authorization header must be Bearer <token>");
    }
    String token = value.substring(BEARER.length()).trim();
    if (token.isEmpty()) {
      throw unauthorized("the Authorization header must be Bearer <token>");
    }
    Optional<ApiPrincipal> principal;
    try {
      principal = authenticator.authenticate(token);
    } catch (RuntimeException e) {
      LOG.warn("the authenticator failed; the request is refused", e);
      throw unauthorized("the token could not be checked");
    }
    if (principal == null || principal.isEmpty()) {
      throw unauthorized("the token is not valid");
    }
    return principal.get();
  }

  private static ApiException unauthorized(String message) {
    return ApiException.of(401, "UNAUTHORIZED", "Authorization", message);
  }

  private static List<String> segments(String rawPath) {
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw ApiException.of(404, "NOT_FOUND", null, "no route " + Query.cut(rawPath));
    }
    List<String> out = new ArrayList<>();
    for (String s : rawPath.substring(1).split("/", -1)) {
      out.add(Query.decode(s, "path", false));
    }
    return out;
  }
}

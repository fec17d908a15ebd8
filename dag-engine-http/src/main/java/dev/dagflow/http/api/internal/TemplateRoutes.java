package dev.dagflow.http.api.internal;

import static dev.dagflow.http.api.internal.Route.Access.CHANGE;
import static dev.dagflow.http.api.internal.Route.Access.READ;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.IdempotencyStrategy;
import dev.dagflow.engine.InvalidSubmitRequestException;
import dev.dagflow.engine.SubmitRequest;
import dev.dagflow.spec.DagJson;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.SpecFormat;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.TemplateCatalog;
import java.util.List;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Templates of a project: publish a spec as the next version, list, read a version, and start
 * a run of one (the confirm step of publish → confirm). A template of another project, or a
 * global one, is not found here.
 */
final class TemplateRoutes {
  private static final String TEMPLATES = Paths.PROJECT + "/templates";
  private static final String TEMPLATE = TEMPLATES + "/{name}";

  private final DagEngine engine;
  private final TemplateCatalog catalog;

  TemplateRoutes(DagEngine engine) {
    this.engine = engine;
    this.catalog = engine.templates();
  }

  List<Route> routes() {
    return List.of(
        new Route("POST", TEMPLATES, CHANGE, "Publish a spec as the next version of a template",
            Set.of(), "TemplatePublish", this::publish),
        new Route("GET", TEMPLATES, READ, "List the project's templates, latest versions",
            Set.of(), "", this::list),
        new Route("GET", TEMPLATE, READ, "The latest version of a template, with its versions",
            Set.of(), "", this::latest),
        new Route("GET", TEMPLATE + "/versions/{version}", READ, "One version of a template",
            Set.of(), "", this::version),
        new Route("POST", TEMPLATE + "/runs", CHANGE,
            "Start a run of a template (latest version unless one is given)", Set.of(),
            "RunStart", this::start));
  }

  private ApiResponse publish(Call call) {
    BodyFields body = BodyFields.of(call.object(), Set.of("name", "format", "spec"));
    SpecFormat format = body.string("format")
        .map(f -> Query.constant("format", f, SpecFormat.class)).orElse(SpecFormat.NATIVE);
    Optional<String> givenName = body.string("name");
    ObjectNode specJson = body.requiredObject("spec");
    DagSpec spec = DagJson.reader().format(format).read(specJson);
    String name = givenName.orElse(spec.id());
    String project = call.project();
    if (spec.scope().kind() == DagScope.Kind.PROJECT
        && !spec.scope().id().orElseThrow().equals(project)) {
      throw ApiException.badField("spec.scope", "names project '" + spec.scope().id().get()
          + "'; a template of project '" + project + "' runs in its own project");
    }
    checkPolicy(spec, project, "spec.policy");
    int before = catalog.latest(name).filter(t -> t.project().equals(Optional.of(project)))
        .map(DagTemplate::version).orElse(0);
    DagTemplate saved = catalog.save(name, Optional.of(project), spec);
    ObjectNode data = Views.template(saved, false);
    data.put("changed", saved.version() != before);
    return saved.version() != before ? Responses.created(data) : Responses.ok(data);
  }

  private ApiResponse list(Call call) {
    ArrayNode items = Views.NODES.arrayNode();
    for (DagTemplate t : catalog.list()) {
      if (t.project().equals(Optional.of(call.project()))) {
        items.add(Views.template(t, false));
      }
    }
    return Responses.ok(items);
  }

  private ApiResponse latest(Call call) {
    DagTemplate t = find(call, Optional.empty());
    ObjectNode data = Views.template(t, true);
    ArrayNode versions = data.putArray("versions");
    catalog.versions(t.name()).forEach(v -> versions.add(v.version()));
    return Responses.ok(data);
  }

  private ApiResponse version(Call call) {
    return Responses.ok(Views.template(find(call, Optional.of(version(call.path("version")))),
        true));
  }

  private ApiResponse start(Call call) {
    BodyFields body = BodyFields.of(call.objectOrEmpty(), Set.of("version", "params", "targets"));
    Optional<Integer> version = body.integer("version", 1, Integer.MAX_VALUE);
    DagTemplate template = find(call, version);
    checkPolicy(template.spec(), call.project(), "policy");
    SubmitRequest.Builder request = SubmitRequest.builder().template(template.name())
        .operator(call.operator());
    version.ifPresent(request::templateVersion);
    body.object("params").ifPresent(request::params);
    body.strings("targets").ifPresent(request::targets);
    Optional<String> key = call.header("Idempotency-Key");
    Optional<String> strategy = call.header("Idempotency-Strategy");
    if (key.isEmpty() && strategy.isPresent()) {
      throw ApiException.badField("Idempotency-Strategy", "needs an Idempotency-Key header");
    }
    SubmitRequest built;
    try {
      key.ifPresent(request::idempotencyKey);
      strategy.ifPresent(st -> request.idempotencyStrategy(strategy(st)));
      built = request.build();
    } catch (InvalidSubmitRequestException e) {
      if (!"idempotencyKey".equals(e.field())) {
        throw e;
      }
      throw ApiException.badField("Idempotency-Key", e.getMessage()); // the header's name
    }
    // a key the engine has seen answers the run it started, with the same 201 as the first time
    String runId = engine.submit(built);
    ObjectNode data = Views.NODES.objectNode();
    data.put("runId", runId);
    data.put("template", template.name());
    data.put("templateVersion", version.orElse(template.version()));
    return Responses.created(data);
  }

  private static IdempotencyStrategy strategy(String text) {
    try {
      return IdempotencyStrategy.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("Idempotency-Strategy", "must be one of "
          + Arrays.toString(IdempotencyStrategy.values()) + ", not '" + text + "'");
    }
  }

  /**
   * Refuses a spec naming a policy of another project: its runs would take that project's
   * settings, and its answer would tell the policy exists. A global policy is everyone's.
   */
  private void checkPolicy(DagSpec spec, String project, String field) {
    spec.policyName().ifPresent(name -> {
      boolean usable = engine.policies().get(name)
          .map(p -> p.project().isEmpty() || p.project().get().equals(project)).orElse(false);
      if (!usable) {
        throw ApiException.badField(field, "no policy named '" + name + "' in project '"
            + project + "' or global");
      }
    });
  }

  /** The template of the call's project, that version or the latest; 404 otherwise. */
  private DagTemplate find(Call call, Optional<Integer> version) {
    String name = call.path("name");
    Optional<DagTemplate> t = version.isPresent() ? catalog.get(name, version.get())
        : catalog.latest(name);
    return t.filter(x -> x.project().equals(Optional.of(call.project())))
        .orElseThrow(() -> ApiException.notFound("template '" + Query.cut(name) + "'"
            + version.map(v -> " version " + v).orElse("")));
  }

  private static int version(String raw) {
    try {
      int v = Integer.parseInt(raw);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badField("version", "must be a whole number from 1, got '"
        + Query.cut(raw) + "'");
  }
}

package dev.dagflow.http.api.internal;

import static dev.dagflow.http.api.internal.Route.Access.CHANGE;
import static dev.dagflow.http.api.internal.Route.Access.READ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.PolicyCenter;
import dev.dagflow.policy.PolicyJson;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A project's execution policies: list, create, read, replace, delete, in the JSON form of
 * {@link PolicyJson} with a {@code projectDefault} flag. Policy names are shared by every
 * project: a name another project (or the global scope) holds is a conflict, not a policy to
 * replace.
 */
final class PolicyRoutes {
  private static final String POLICIES = Paths.PROJECT + "/policies";
  private static final String POLICY = POLICIES + "/{name}";

  private final PolicyCenter policies;
  /** Check and save as one step among this API's callers. */
  private final Object saves = new Object();

  PolicyRoutes(DagEngine engine) {
    this.policies = engine.policies();
  }

  List<Route> routes() {
    return List.of(
        new Route("GET", POLICIES, READ, "List the project's policies", Set.of(), "",
            this::list),
        new Route("POST", POLICIES, CHANGE, "Create a policy", Set.of(), "Policy",
            this::create),
        new Route("GET", POLICY, READ, "One policy", Set.of(), "", this::get),
        new Route("PUT", POLICY, CHANGE, "Create or replace a policy", Set.of(), "Policy",
            this::put),
        new Route("DELETE", POLICY, CHANGE, "Delete a policy", Set.of(), "", this::delete));
  }

  private ApiResponse list(Call call) {
    ArrayNode items = Views.NODES.arrayNode();
    for (ExecutionPolicy p : policies.list()) {
      if (p.project().equals(Optional.of(call.project()))) {
        items.add(Views.policy(p));
      }
    }
    return Responses.ok(items);
  }

  private ApiResponse create(Call call) {
    ExecutionPolicy policy = read(call.object(), call.project());
    synchronized (saves) {
      if (policies.get(policy.name()).isPresent()) {
        throw ApiException.conflict("name", "a policy named '" + policy.name()
            + "' exists; replace it with PUT on its own path");
      }
      policies.save(policy);
    }
    return Responses.created(Views.policy(policy));
  }

  private ApiResponse get(Call call) {
    return Responses.ok(Views.policy(find(call)));
  }

  private ApiResponse put(Call call) {
    String name = call.path("name");
    ExecutionPolicy policy = read(ProjectBodies.withId(call.object(), "name", name),
        call.project());
    boolean created;
    synchronized (saves) {
      Optional<ExecutionPolicy> old = policies.get(name);
      if (old.isPresent() && !old.get().project().equals(Optional.of(call.project()))) {
        throw ApiException.conflict("name", "the name '" + name
            + "' is taken outside this project");
      }
      created = old.isEmpty();
      policies.save(policy);
    }
    return created ? Responses.created(Views.policy(policy)) : Responses.ok(Views.policy(policy));
  }

  private ApiResponse delete(Call call) {
    ExecutionPolicy policy = find(call);
    policies.delete(policy.name());
    ObjectNode data = Views.NODES.objectNode();
    data.put("deleted", policy.name());
    return Responses.ok(data);
  }

  private ExecutionPolicy find(Call call) {
    String name = call.path("name");
    return policies.get(name).filter(p -> p.project().equals(Optional.of(call.project())))
        .orElseThrow(() -> ApiException.notFound("policy '" + Query.cut(name) + "'"));
  }

  /** The policy of {@code body}, in {@code project}, with its default flag. */
  private static ExecutionPolicy read(ObjectNode body, String project) {
    ObjectNode json = ProjectBodies.inProject(body, project);
    JsonNode flag = json.remove("projectDefault");
    if (flag != null && !flag.isNull() && !flag.isBoolean()) {
      throw BodyFields.wrongType("projectDefault", "true or false", flag);
    }
    ExecutionPolicy policy = PolicyJson.fromJson(json);
    return policy.toBuilder().projectDefault(flag != null && flag.asBoolean()).build();
  }
}

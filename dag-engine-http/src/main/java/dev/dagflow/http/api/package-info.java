/**
 * A REST API over a {@code DagEngine}, built with {@link dev.dagflow.http.api.DagHttpApi#builder
 * DagHttpApi.builder(engine)}: routes scoped by project for templates, runs, policies, triggers,
 * schedules and events, {@code {"code","message","data"}} JSON bodies, errors naming the field, a
 * Server-Sent Events stream of a run's transitions and logs, an OpenAPI document and Swagger
 * UI. Who calls is told by an {@link dev.dagflow.http.api.Authenticator} (an SPI) as an {@link
 * dev.dagflow.http.api.ApiPrincipal}. Two transports mount it: {@link
 * dev.dagflow.http.api.DagHttpHandler} on the JDK's {@code HttpServer} and {@link
 * dev.dagflow.http.api.DagHttpServlet} in a servlet container. See {@code docs/http-api.md}.
 */
package dev.dagflow.http.api;

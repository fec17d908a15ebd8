/**
 * A REST API over a {@code DagEngine}, built with {@code DagHttpApi.builder(engine)}: routes
 * scoped by project, JSON bodies {@code {"code","message","data"}}, Server-Sent Events of a
 * run's transitions and logs, an OpenAPI document, and two transports (the JDK's {@code
 * HttpServer} and a Jakarta Servlet). See DESIGN.md, "HTTP API".
 */
package dev.dagflow.http.api;

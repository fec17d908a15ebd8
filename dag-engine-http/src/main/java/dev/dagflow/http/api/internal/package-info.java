/**
 * The implementation of the REST API: the handler core ({@link
 * dev.dagflow.http.api.internal.ApiCore}, a request in and a response out, independent of any
 * server), the route table and its routes by idea (templates, runs, run control, policies,
 * triggers, events, the event stream, the documents), the readers of bodies and queries under
 * dagflow's JSON limits, the JSON views of the engine's values and the mapping of its
 * exceptions onto statuses.
 *
 * <p>Not API: public only so that the adapters of {@code dev.dagflow.http.api} reach it; no
 * other module may import it, and it changes without notice.
 */
package dev.dagflow.http.api.internal;

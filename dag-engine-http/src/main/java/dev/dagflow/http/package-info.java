/**
 * The HTTP side of dagflow: a node executor that delegates to a remote engine service, and a REST
 * facade over a {@code DagEngine}. Built out in a later issue; see DESIGN.md, sections "HTTP
 * engine adapter" and "HTTP API".
 */
package dev.dagflow.http;

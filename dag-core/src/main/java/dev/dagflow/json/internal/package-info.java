/**
 * The one JSON mapper dagflow reads and writes with, canonical copies of JSON values, and how
 * values are described in messages. Not API: public only so that every package of dag-core
 * shares them; no other module may import them, and they change without notice.
 */
package dev.dagflow.json.internal;

/**
 * The limits every JSON value dagflow accepts must meet, text or tree: {@link
 * dev.dagflow.json.JsonLimits}, and {@link dev.dagflow.json.InvalidJsonException} for a value
 * that breaks one. Modules that read or write dagflow's documents (stores, the HTTP API) apply
 * the same limits through this package, so what one accepts every other can store and read back.
 */
package dev.dagflow.json;

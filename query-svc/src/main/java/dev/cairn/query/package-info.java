/**
 * query-svc's logic: turning caller-supplied parameters into trace-store queries. Everything here
 * is plain Java (no JAX-RS, no Quarkus) so that it is tested without a server; the HTTP adapter
 * lives in {@code dev.cairn.query.transport.http}.
 */
package dev.cairn.query;

/**
 * Cairn's span model: one definition of a span shared by every service. Values are immutable and
 * non-null unless a component says otherwise; OTLP mapping lives in {@code dev.cairn.model.otlp}.
 */
package dev.cairn.model;

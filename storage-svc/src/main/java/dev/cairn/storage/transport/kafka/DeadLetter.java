package dev.cairn.storage.transport.kafka;

import dev.cairn.storage.SpanRecordDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A consumed record that cannot be stored, and why.
 *
 * @param source the record as consumed (key, value and headers are forwarded unchanged)
 * @param reason the counter label
 * @param detail the decoder's or the store's message (SQLState and message for a refusal)
 */
record DeadLetter(
    ConsumerRecord<byte[], byte[]> source, SpanRecordDecoder.Rejection reason, String detail) {}

import MQTT
import Testing

/// The publish queue's bound drops data, never a device's status or meta: in CI an edge started with
/// `--publish-queue 5` under load had its new meta refused while data filled the queue, and the archive ignored
/// every later message as "data for an unknown meta_id".
@Suite struct QueueBoundTests {
    @Test func dataPastTheBoundIsDroppedButAControlMessageIsQueued() throws {
        var options = MQTTOptions(clientID: "queue-bound-test")
        options.maxQueuedMessages = 2
        // Never started: QoS 1 messages stay queued (libmosquitto keeps them for a connection), so the bound fills.
        let client = try MQTTClient(options: options)
        let payload: [UInt8] = Array(repeating: 7, count: 64)
        #expect(client.publish(topic: "t/data", bytes: payload, qos: .atLeastOnce))
        #expect(client.publish(topic: "t/data", bytes: payload, qos: .atLeastOnce))
        #expect(!client.publish(topic: "t/data", bytes: payload, qos: .atLeastOnce), "the third data message is past the bound")
        #expect(client.publish(topic: "t/meta", bytes: payload, qos: .atLeastOnce, retain: true, control: true))
        let c = client.counters
        #expect(c.dropped == 1)
        #expect(c.queued == 3, "the control message counts in the queue until delivered")
        #expect(!client.publish(topic: "t/data", bytes: payload, qos: .atLeastOnce), "data stays bounded after it")
    }
}

import Foundation
import MWP
import Synchronization

/// A conversation with one instrument over any transport: requests matched to replies by type, with timeouts;
/// unsolicited frames routed to a `StreamConsumer` from a reader thread the session owns.
/// Unchecked: every mutable field is guarded by `condition` or atomic; the decoder lives on the reader thread.
public final class DeviceSession: @unchecked Sendable {
    public let transport: any Transport
    /// What HELLO answered; read by any thread, so kept under `condition` like the rest.
    public var identity: IdentityRecord? { condition.withLock { identified } }
    public let requestTimeoutMs: Int

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var encoder = FrameEncoder()
    private var awaiting: MessageType?
    private var reply: (Message, UInt64)?
    /// Why the reply of the awaited type could not be read, when it could not.
    private var malformed: MessageError?
    private var consumer: (any StreamConsumer)?
    private var linkError: TransportError?
    private var counters = DecoderCounters()
    private var unexpectedFrames: UInt64 = 0
    private var readerDone = false
    private var identified: IdentityRecord?
    /// How long the reader thread has spent inside the consumer's `samples` (a consumer may wait for its
    /// recorder): replies cannot be read meanwhile, so that time does not count against a request's timeout.
    private let consumerBusyTotalNs = Atomic<UInt64>(0)
    /// When the reader entered the consumer's `samples`, or 0 when it is not in it.
    private let consumerBusySinceNs = Atomic<UInt64>(0)
    /// Serialises requests: MWP/1 has one outstanding request per link.
    private let requestLock = NSLock()

    public init(transport: any Transport, requestTimeoutMs: Int = 1000) {
        self.transport = transport
        self.requestTimeoutMs = requestTimeoutMs
        let thread = Thread { [unowned self] in self.readLoop() }
        thread.name = "mosquito-reader"
        thread.qualityOfService = .userInteractive
        thread.start()
    }

    deinit { close() }

    /// Decoder counts so far (bytes, frames, CRC errors, malformed).
    public var decoderCounters: DecoderCounters { condition.withLock { counters } }
    public var linkLost: TransportError? { condition.withLock { linkError } }

    // MARK: Requests

    @discardableResult
    public func identify() throws(DeviceError) -> IdentityRecord {
        guard case .identity(let status, let record) = try request(.hello(hostVersion: MWP.version)) else {
            throw .protocolViolation("HELLO answered with the wrong message")
        }
        guard status == .ok, let record else { throw .refused(.hello, status, "") }
        condition.withLock { identified = record }
        return record
    }

    public func configure(rateHz: UInt32, channelMask: UInt32) throws(DeviceError) {
        do throws(TransportError) { try transport.willConfigure(rateHz: rateHz, channelMask: channelMask) } catch {
            throw .transport(error)
        }
        let status = try statusReply(.configure(rateHz: rateHz, channelMask: channelMask))
        guard status == .ok else {
            var why = ""
            if status == .badArgument, let id = identity {
                why = rateHz > id.maxRateHz
                    ? "rate \(rateHz) Hz is above the instrument's maximum of \(id.maxRateHz) Hz"
                    : !id.fits(channelMask: channelMask) ? "channel mask 0x\(String(channelMask, radix: 16)) does not fit \(id.channels.count) channels"
                    // A replayed recording plays only the rate it was recorded at.
                    : "rate \(rateHz) Hz is not one the instrument offers (a replay offers only its recorded \(id.maxRateHz) Hz)"
            }
            throw .refused(.configure, status, why)
        }
    }

    /// Starts streaming into `consumer`; frames that arrive before the reply are delivered too.
    public func start(into consumer: any StreamConsumer) throws(DeviceError) {
        condition.withLock { self.consumer = consumer }
        let status = try statusReply(.start)
        guard status == .ok else {
            condition.withLock { self.consumer = nil }
            throw .refused(.start, status, "")
        }
    }

    /// Stops streaming. Frames sent before the device saw STOP still reach the consumer.
    public func stop() throws(DeviceError) {
        defer { condition.withLock { consumer = nil } }
        let status = try statusReply(.stop)
        guard status == .ok else { throw .refused(.stop, status, "") }
    }

    public func readCalibration(channel: UInt8) throws(DeviceError) -> CalibrationRecord {
        guard case .calibration(let status, let record) = try request(.getCalibration(channel: channel)) else {
            throw .protocolViolation("GET_CALIBRATION answered with the wrong message")
        }
        guard status == .ok, let record else { throw .refused(.getCalibration, status, "channel \(channel)") }
        return record
    }

    public func writeCalibration(_ record: CalibrationRecord) throws(DeviceError) {
        let status = try statusReply(.setCalibration(record))
        guard status == .ok else { throw .refused(.setCalibration, status, "channel \(record.channel)") }
    }

    public func ping() throws(DeviceError) -> PingRoundTrip {
        let sent = MonotonicClock.nowNs()
        let (message, received) = try requestTimed(.ping(hostTimeNs: sent))
        guard case .pong(let status, let echoed, let deviceUs) = message, status == .ok, echoed == sent else {
            throw .protocolViolation("PING answered with a mismatched PONG")
        }
        return PingRoundTrip(hostSendNs: sent, hostReceiveNs: received, deviceTimeUs: deviceUs)
    }

    public func close() {
        transport.close()
        condition.withLock {
            while !readerDone { _ = condition.wait(until: Date(timeIntervalSinceNow: 1)) }
        }
    }

    private func statusReply(_ message: Message) throws(DeviceError) -> Status {
        switch try request(message) {
        case .configureReply(let s), .startReply(let s), .stopReply(let s), .setCalibrationReply(let s),
            .errorReply(_, let s):
            return s
        default: throw .protocolViolation("\(message.type) answered with the wrong message")
        }
    }

    public func request(_ message: Message) throws(DeviceError) -> Message {
        try requestTimed(message).0
    }

    private func requestTimed(_ message: Message) throws(DeviceError) -> (Message, UInt64) {
        requestLock.lock()
        defer { requestLock.unlock() }
        condition.lock()
        defer { condition.unlock() }
        if let e = linkError { throw .transport(e) }
        var wire: [UInt8] = []
        do throws(MessageError) { try encoder.encode(message, into: &wire) } catch {
            throw .protocolViolation("cannot encode \(message.type): \(error)")
        }
        awaiting = message.type.reply
        reply = nil
        malformed = nil
        defer { awaiting = nil }
        do throws(TransportError) { try transport.send(wire) } catch { throw .transport(error) }
        let sentNs = MonotonicClock.nowNs()
        let busyAtSend = consumerBusyTotalNs.load(ordering: .acquiring)
        while reply == nil {
            if let e = malformed { throw .malformedReply(message.type.reply, e) }
            if let e = linkError { throw .transport(e) }
            // The timeout counts only the time the reader could have read the reply: not the time it spent
            // held up by a consumer (back-pressure from a recorder that is behind).
            let now = MonotonicClock.nowNs()
            let since = consumerBusySinceNs.load(ordering: .acquiring)
            let held = (consumerBusyTotalNs.load(ordering: .acquiring) &- busyAtSend) &+ (since != 0 && now > since ? now - since : 0)
            let waited = now &- sentNs
            let budget = UInt64(requestTimeoutMs) * 1_000_000
            let (limit, overflow) = budget.addingReportingOverflow(held)
            guard overflow || waited < limit else { throw .timeout(message.type) }
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
        return reply!
    }

    // MARK: Reader thread

    private func readLoop() {
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        defer { condition.withLock { readerDone = true; condition.broadcast() } }
        while true {
            let received: Result<Int, TransportError> = buffer.withUnsafeMutableBytes { b in
                Result { () throws(TransportError) in try transport.receive(into: b, timeoutMs: 100) }
            }
            guard case .success(let n) = received else {
                if case .failure(let error) = received { lose(error) }
                return
            }
            guard n > 0 else { continue }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            drain(&decoder)
        }
    }

    private func drain(_ decoder: inout FrameDecoder) {
        let consumer = condition.withLock { self.consumer }
        while true {
            switch decoder.next() {
            case .needMoreData:
                condition.withLock { counters = decoder.counters }
                return
            case .error(let e):
                consumer?.frameError(e)
            case .frame(let frame):
                route(frame, to: consumer)
            }
        }
    }

    private func route(_ frame: Frame, to consumer: (any StreamConsumer)?) {
        if frame.type == .samples {
            let wellFormed: Bool = frame.payload.withUnsafeBytes { p in
                guard let view = try? SamplesView(payload: p) else { return false }
                guard let consumer else { return true }
                let entered = MonotonicClock.nowNs()
                consumerBusySinceNs.store(max(entered, 1), ordering: .releasing)
                consumer.samples(view)
                _ = consumerBusyTotalNs.add(MonotonicClock.nowNs() &- entered, ordering: .releasing)
                consumerBusySinceNs.store(0, ordering: .releasing)
                return true
            }
            if !wellFormed { consumer?.frameError(.length) }
            return
        }
        let received = MonotonicClock.nowNs()
        let message: Message
        do throws(MessageError) { message = try frame.message() } catch {
            condition.withLock {
                // The reply to the request in flight, unreadable: it ends the request now and says what is wrong
                // with it. Dropping it would only turn it into a timeout that names nothing, a second later.
                if let want = awaiting, want == frame.type, reply == nil, malformed == nil {
                    malformed = error
                    condition.broadcast()
                } else {
                    unexpectedFrames += 1
                }
            }
            return
        }
        switch message {
        case .status(let s): consumer?.status(s)
        case .log(let level, let text): consumer?.log(level: level, text: text)
        default:
            condition.withLock {
                if let want = awaiting, want == frame.type {
                    reply = (message, received)
                    condition.broadcast()
                } else {
                    unexpectedFrames += 1
                }
            }
        }
    }

    private func lose(_ error: TransportError) {
        let consumer = condition.withLock {
            linkError = error
            condition.broadcast()
            return self.consumer
        }
        if error != .closed { consumer?.linkLost(error) }
    }
}

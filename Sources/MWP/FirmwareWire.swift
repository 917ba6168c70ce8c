/// The wire as an emulated firmware sees it (PROTOCOL.md §7): host bytes in, the requests they carry out, and
/// every frame that is not a request answered the way firmware answers it. The simulator and replay firmware
/// share it, so they refuse the same frames the same way.
public struct FirmwareWire: Sendable {
    private var decoder = FrameDecoder()
    private var encoder = FrameEncoder()

    public init() {}

    public mutating func receive(_ bytes: UnsafeRawBufferPointer) { decoder.append(bytes) }

    /// The next request among the bytes received, or nil once they hold no more. On the way it drops a damaged
    /// frame (the host times out and retries) and answers into `output` a frame that is not a request:
    /// UNKNOWN_TYPE for a type the device does not take, BAD_LENGTH for a request whose payload is malformed,
    /// and nothing for a reply (a device never answers a reply).
    public mutating func nextRequest(answeringInto output: inout [UInt8]) -> Message? {
        while true {
            switch decoder.next() {
            case .needMoreData: return nil
            case .error: continue
            case .frame(let frame):
                do throws(MessageError) {
                    let message = try frame.message()
                    // HELLO starts a conversation, and the device's seq with it (PROTOCOL.md §7).
                    if case .hello = message { encoder = FrameEncoder() }
                    if message.isRequest { return message }
                    if !frame.type.isReply { send(.errorReply(frame.type.reply, .unknownType), into: &output) }
                } catch {
                    if case .unknownType = error {
                        send(.errorReply(frame.type.reply, .unknownType), into: &output)
                    } else if !frame.type.isReply {
                        send(.errorReply(frame.type.reply, .badLength), into: &output)
                    }
                }
            }
        }
    }

    /// Everything firmware sends it built itself, so it always encodes.
    public mutating func send(_ message: Message, into output: inout [UInt8]) {
        try! encoder.encode(message, into: &output)
    }

    /// A SAMPLES frame from values the firmware sized to fit, so it always encodes.
    public mutating func sendSamples(_ header: SamplesHeader, values: UnsafeBufferPointer<Int32>, into output: inout [UInt8]) {
        try! encoder.encodeSamples(header, values: values, into: &output)
    }
}

/// What an emulated instrument decides for itself. The conversation's rules around those decisions (PROTOCOL.md
/// §7) are ``reply(to:deviceNowUs:)``'s, once for the simulator and the replay firmware, so neither can answer a
/// request differently from the document or from the other.
package protocol EmulatedFirmware {
    var identity: IdentityRecord { get }
    var isStreaming: Bool { get }
    /// CONFIGURE while idle, with a rate and channel mask the rules found in range: whether this instrument
    /// takes that rate (a replay takes only its recorded one). When it does, the configuration is in force.
    mutating func configure(rateHz: UInt32, channelMask: UInt32) -> Bool
    /// START while idle: `.ok` and streaming from index 0, or `.notConfigured`.
    mutating func start(deviceNowUs: UInt64) -> Status
    mutating func stop()
    /// The stored record of a channel below `identity.channels.count`.
    func calibration(channel: Int) -> CalibrationRecord
    /// SET_CALIBRATION of a channel below `identity.channels.count`: `.ok`, or `.storageFailed`.
    mutating func store(_ record: CalibrationRecord) -> Status
}

extension EmulatedFirmware {
    /// The answer to a request (`FirmwareWire.nextRequest` hands over requests only).
    package mutating func reply(to request: Message, deviceNowUs: UInt64) -> Message {
        let channels = identity.channels.count
        switch request {
        case .hello(let version):
            // A host that says HELLO starts a conversation: whatever the last one left streaming stops.
            stop()
            return version == MWP.version ? .identity(.ok, identity) : .identity(.unsupportedVersion, nil)
        case .configure(let rate, let mask):
            if isStreaming { return .configureReply(.busy) }
            guard rate > 0, rate <= identity.maxRateHz, identity.fits(channelMask: mask),
                  configure(rateHz: rate, channelMask: mask) else { return .configureReply(.badArgument) }
            return .configureReply(.ok)
        case .start:
            return .startReply(isStreaming ? .busy : start(deviceNowUs: deviceNowUs))
        case .stop:
            stop()
            return .stopReply(.ok)
        case .getCalibration(let channel):
            // Allowed while streaming, as SET_CALIBRATION is.
            guard Int(channel) < channels else { return .calibration(.badArgument, nil) }
            return .calibration(.ok, calibration(channel: Int(channel)))
        case .setCalibration(let record):
            guard Int(record.channel) < channels else { return .setCalibrationReply(.badArgument) }
            return .setCalibrationReply(store(record))
        case .ping(let hostTimeNs):
            return .pong(.ok, hostTimeNs: hostTimeNs, deviceTimeUs: deviceNowUs)
        default:
            return .errorReply(request.type.reply, .unknownType)
        }
    }
}

import MWP

/// Mosquito firmware as a recording plays it: answers requests from the recorded identity and calibration,
/// accepts only the recorded rate and channels, and sends the rows it is handed as SAMPLES frames.
///
/// Pure: no I/O and no clock. The transport feeds it host bytes and rows, and sends what it puts in `output`.
struct ReplayFirmware: EmulatedFirmware, Sendable {
    let device: ReplayDevice
    /// Bytes to send to the host, in order; the driver removes what it has sent.
    var output: [UInt8] = []
    private(set) var isStreaming = false
    /// Bumped by every accepted START: the driver rewinds to the first row when it changes.
    private(set) var starts = 0
    private(set) var channelMask: UInt32 = 0

    private var wire = FirmwareWire()
    private var selected: [Int] = []
    private var scratch: [Int32] = []

    init(device: ReplayDevice) { self.device = device }

    /// Host bytes; `deviceNowUs` answers PING.
    mutating func receive(_ bytes: UnsafeRawBufferPointer, deviceNowUs: UInt64) {
        wire.receive(bytes)
        while let request = wire.nextRequest(answeringInto: &output) { send(reply(to: request, deviceNowUs: deviceNowUs)) }
    }

    /// Sends recorded rows `rows` of `raw` (row-major, every recorded channel) as one SAMPLES frame.
    mutating func sendSamples(firstIndex: UInt64, deviceTimeUs: UInt64, raw: ArraySlice<Int32>, rows: Int) {
        let width = device.identity.channels.count
        scratch.removeAll(keepingCapacity: true)
        for r in 0..<rows {
            let base = raw.startIndex + r * width
            for c in selected { scratch.append(raw[base + c]) }
        }
        let header = SamplesHeader(
            firstIndex: firstIndex, deviceTimeUs: deviceTimeUs, channelMask: channelMask, count: UInt16(rows))
        // The frame is built from recorded rows the cutter sized to fit; it always encodes.
        scratch.withUnsafeBufferPointer { wire.sendSamples(header, values: $0, into: &output) }
    }

    /// Says, as firmware does, that the device dropped samples itself: the host blames the next index jump
    /// (up to `droppedTotal`'s increase) on a device overrun.
    mutating func sendOverrun(droppedTotal: UInt32) {
        send(.status(DeviceStatus(flags: .bufferOverrun, droppedTotal: droppedTotal, temperatureCentiC: 0)))
    }

    /// A frame that fails its CRC, as a damaged link delivers one: the host blames the next index jump on it.
    mutating func sendDamagedFrame() {
        var frame = WireWriter(capacity: 16)
        frame.u8(MWP.version)
        frame.u8(MessageType.log.rawValue)
        frame.u16(0)
        frame.u8(0)
        frame.u32(~CRC32C.checksum(frame.bytes))
        output += COBS.encode(frame.bytes)
        output.append(0)
    }

    /// The recording has no more rows: the instrument stops streaming on its own.
    mutating func endOfRecording() { isStreaming = false }

    // MARK: What this instrument decides (EmulatedFirmware); the conversation's rules are MWP's.

    var identity: IdentityRecord { device.identity }

    /// Only the recorded rate: the rows are what they are.
    mutating func configure(rateHz: UInt32, channelMask: UInt32) -> Bool {
        guard rateHz == device.rateHz else { return false }
        self.channelMask = channelMask
        selected = (0..<identity.channels.count).filter { channelMask & (1 << UInt32($0)) != 0 }
        return true
    }

    mutating func start(deviceNowUs: UInt64) -> Status {
        guard channelMask != 0 else { return .notConfigured }
        isStreaming = true
        starts += 1
        return .ok
    }

    mutating func stop() { isStreaming = false }

    func calibration(channel: Int) -> CalibrationRecord { device.calibrations[channel] }

    /// A recording is history: its calibration cannot be rewritten.
    mutating func store(_ record: CalibrationRecord) -> Status { .storageFailed }

    private mutating func send(_ message: Message) { wire.send(message, into: &output) }
}

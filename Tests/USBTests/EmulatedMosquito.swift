import CUSBEmulator
import Device
import Foundation
import MWP
import Simulator

/// A Mosquito on an emulated USB bus: umockdev's testbed shows libusb the device, the usbdevfs emulator
/// answers its ioctls, and the simulated firmware (the same `SimulatedInstrument` the serial tests use) sits
/// behind the bulk endpoints. The real driver runs unchanged on top.
final class EmulatedMosquito: @unchecked Sendable {
    static let serial = "MQ-2026-0042"
    static let sysfsPath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"

    private let emulator: OpaquePointer
    private let lock = NSLock()
    // Guarded by `lock`.
    private var instrument: SimulatedInstrument
    private var ignoringRequests = false
    private let epochNs = MonotonicClock.nowNs()
    private(set) var address: UInt8 = 0

    /// How many emulators exist. A testbed is process-wide (umockdev's environment points at the newest one and
    /// freeing one unsets it), and the last reference to an emulator may be its pump thread's, dropped a pump step
    /// after the test that made it ended: the next test waits for that release before making its own testbed.
    private static let living = NSCondition()
    nonisolated(unsafe) private static var livingCount = 0

    /// Creates the testbed (before any libusb context exists) and plugs the device in at `address`.
    /// `alongside`: this emulator is meant to exist beside another one (a test of two testbeds).
    init(config: SimulatorConfig = SimulatorConfig(serial: EmulatedMosquito.serial), address: UInt8 = 2, alongside: Bool = false) throws {
        Self.living.lock()
        // A last guard only: an emulator a test still holds is reported by that test, not waited on forever.
        let until = Date().addingTimeInterval(10)
        while !alongside && Self.livingCount > 0 && Self.living.wait(until: until) {}
        Self.livingCount += 1
        Self.living.unlock()
        emulator = mq_emulator_new()
        instrument = SimulatedInstrument(config: config)
        try plug(address: address)
        // Weak, and strong only while pumping: the thread must not keep the device alive, and the emulator
        // cannot be freed in the middle of a pump step. It ends by itself once the device is gone.
        let thread = Thread { [weak self] in
            while self?.pumpOnce() != nil { Thread.sleep(forTimeInterval: 0.001) }
        }
        thread.name = "emulated-mosquito"
        thread.start()
    }

    deinit {
        mq_emulator_free(emulator)
        Self.living.lock()
        Self.livingCount -= 1
        Self.living.broadcast()
        Self.living.unlock()
    }

    var root: String { String(cString: mq_emulator_root(emulator)) }

    /// The umockdev description of the unit at `address`; sysfs states `serial`, as the kernel copies iSerialNumber.
    static func description(address: UInt8, serial: String = EmulatedMosquito.serial) throws -> String {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/mosquito.umockdev")
        let text = try String(contentsOf: fixture, encoding: .utf8)
        let a = String(format: "%03d", address)
        return text
            .replacingOccurrences(of: "001/002", with: "001/\(a)")
            .replacingOccurrences(of: "DEVNUM=002", with: "DEVNUM=\(a)")
            .replacingOccurrences(of: "devnum=2\\n", with: "devnum=\(address)\\n")
            .replacingOccurrences(of: "MINOR=1", with: "MINOR=\(address - 1)")
            .replacingOccurrences(of: "dev=189:1", with: "dev=189:\(address - 1)")
            .replacingOccurrences(of: EmulatedMosquito.serial, with: serial)
    }

    /// Plugs the device (back) in; a real replug gets a new address. `serial` makes it another unit.
    func plug(address: UInt8, serial: String? = nil) throws {
        if self.address != 0 {
            // A replug is a power cycle: the firmware boots afresh (calibration lives in its flash).
            lock.withLock {
                var config = instrument.config
                if let serial { config.unit.serial = serial }
                instrument = SimulatedInstrument(config: config)
            }
        }
        self.address = address
        let unitSerial = lock.withLock { instrument.config.unit.serial }
        let text = try Self.description(address: address, serial: unitSerial)
        let node = String(format: "/dev/bus/usb/001/%03d", address)
        let strings = ["SENSORICA", "Mosquito", unitSerial]
        var error = [CChar](repeating: 0, count: 256)
        let context = Unmanaged.passUnretained(self).toOpaque()
        let rc = withCStrings(strings) { cStrings in
            mq_emulator_plug(emulator, text, Self.sysfsPath, node, cStrings, Int32(strings.count),
                             hostSent, context, &error, error.count)
        }
        guard rc == 0 else { throw EmulatorError(message: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
    }

    func unplug() { mq_emulator_unplug(emulator) }
    func stallBulkIn() { mq_emulator_stall_in(emulator) }
    func nakBulkOut(_ naking: Bool) { mq_emulator_set_out_naks(emulator, naking ? 1 : 0) }
    /// Firmware that has hung: it takes requests off the bus and never answers.
    func ignoreRequests(_ ignoring: Bool) { lock.withLock { ignoringRequests = ignoring } }

    var clearHalts: Int { Int(mq_emulator_clear_halts(emulator)) }
    var maxInFlight: Int { Int(mq_emulator_max_in_flight(emulator)) }
    var pendingIn: Int { Int(mq_emulator_pending_in(emulator)) }
    var claimed: Int { Int(mq_emulator_claimed(emulator)) }
    var discarded: Int { Int(mq_emulator_discarded(emulator)) }
    var lastInLength: Int { Int(mq_emulator_last_in_length(emulator)) }

    func rawSample(channel: Int, index: UInt64, rateHz: UInt32) -> Int32 {
        lock.withLock { instrument.rawSample(channel: channel, index: index, rateHz: rateHz) }
    }

    private func deviceNowUs() -> UInt64 { 5_000_000 + (MonotonicClock.nowNs() - epochNs) / 1000 }

    fileprivate func received(_ bytes: UnsafeRawBufferPointer) {
        lock.withLock {
            guard !ignoringRequests else { return }
            instrument.receive(bytes, nowUs: deviceNowUs())
            ship()
        }
    }

    /// Hands what the firmware has to send to waiting IN URBs. Called with `lock` held.
    private func ship() {
        while !instrument.output.isEmpty {
            let taken = instrument.output.withUnsafeBufferPointer {
                mq_emulator_fill_in(emulator, $0.baseAddress, $0.count)
            }
            if taken == 0 { return }
            instrument.output.removeFirst(taken)
        }
    }

    /// One step of the firmware's main loop: emit what is due, hand it to the bus.
    private func pumpOnce() {
        lock.withLock {
            instrument.advance(nowUs: deviceNowUs())
            ship()
        }
    }
}

struct EmulatorError: Error, CustomStringConvertible {
    let message: String
    var description: String { "usb emulator: \(message)" }
}

private let hostSent: mq_emulator_out_fn = { context, bytes, length in
    guard let context, let bytes else { return }
    Unmanaged<EmulatedMosquito>.fromOpaque(context).takeUnretainedValue()
        .received(UnsafeRawBufferPointer(start: bytes, count: length))
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicated = strings.map { UnsafePointer(strdup($0)) }
    defer { duplicated.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
    return duplicated.withUnsafeBufferPointer { body($0.baseAddress!) }
}

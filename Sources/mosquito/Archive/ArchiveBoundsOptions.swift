import Archive
import ArgumentParser

/// `archive`'s memory bounds and back-fill deadline (docs/mqtt.md "Back-fill"): what an operator sizes to the
/// machine, a small board or a big server. Checked while the command line is parsed, before anything is created.
struct ArchiveBoundsOptions: ParsableArguments {
    static let defaultDeviceQueueMiB = Archiver.Settings.defaultDeviceQueueBytes >> 20
    /// An edge that has not answered within an hour is hung, not slow; the HTTP client caps its deadline there too.
    static let backfillTimeoutCeiling: Double = 3600

    @Option(
        name: .customLong("device-queue-mib"),
        help: ArgumentHelp(
            """
            MiB of data one device may have waiting to be written (its back-fill or the disk slow) before its data \
            messages are dropped, to be back-filled later (default: \(defaultDeviceQueueMiB), or --queue-mib if smaller).
            """, valueName: "mib"))
    var deviceQueueMiB: Int?
    @Option(
        name: .customLong("queue-mib"),
        help: ArgumentHelp("MiB of data all devices together may have waiting: the archive's memory bound", valueName: "mib"))
    var queueMiB: Int = Archiver.Settings.defaultQueueBytes >> 20
    @Option(
        name: .customLong("backfill-timeout"),
        help: ArgumentHelp(
            """
            Seconds one back-fill request to an edge may take before those samples stay network gaps (above 0, at \
            most \(Int(backfillTimeoutCeiling)))
            """, valueName: "seconds"))
    var backfillTimeout: Double = Archiver.Settings.defaultBackfillRequestSeconds

    func validate() throws {
        _ = try bytes()
        // NaN fails both comparisons; an infinity fails the second.
        guard backfillTimeout > 0, backfillTimeout <= Self.backfillTimeoutCeiling else {
            throw ValidationError(
                "--backfill-timeout \(backfillTimeout): must be seconds above 0, at most \(Int(Self.backfillTimeoutCeiling))")
        }
    }

    /// Puts the bounds and the deadline into `settings`.
    func apply(to settings: inout Archiver.Settings) throws(ValidationError) {
        let (device, total) = try bytes()
        settings.deviceQueueBytes = device
        settings.queueBytes = total
        settings.backfillRequestSeconds = backfillTimeout
    }

    /// The two bounds in bytes. Without --device-queue-mib a device may have what all may, up to its default:
    /// a small --queue-mib only tightens. A --device-queue-mib above the total is refused rather than the
    /// total raised to match, which would spend memory the operator did not give.
    private func bytes() throws(ValidationError) -> (device: Int, total: Int) {
        let total = try Self.bytes(queueMiB, option: "--queue-mib")
        guard let deviceQueueMiB else { return (min(Archiver.Settings.defaultDeviceQueueBytes, total), total) }
        let device = try Self.bytes(deviceQueueMiB, option: "--device-queue-mib")
        guard device <= total else {
            throw ValidationError("""
                --device-queue-mib \(deviceQueueMiB) exceeds --queue-mib \(queueMiB): one device cannot have more waiting \
                than all devices together
                """)
        }
        return (device, total)
    }

    /// `mib` MiB in bytes; refused below 1 and where the bytes would overflow an Int.
    private static func bytes(_ mib: Int, option: String) throws(ValidationError) -> Int {
        guard mib >= 1 else { throw ValidationError("\(option) \(mib): must be at least 1 (MiB)") }
        let (bytes, overflow) = mib.multipliedReportingOverflow(by: 1 << 20)
        guard !overflow else { throw ValidationError("\(option) \(mib): too large (at most \(Int.max >> 20) MiB)") }
        return bytes
    }
}

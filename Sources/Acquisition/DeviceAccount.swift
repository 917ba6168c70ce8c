import MosquitoModel
import Signal

/// One device's samples as the run accounts for them: the ingest's count plus what the host itself dropped.
///
/// A sample the ring had no room for arrived (the ingest counted it received) but never reached the file:
/// it moves from received to lost as host overrun, so `received + loss.total` stays the ingest's
/// `nextIndex`, every index counted once. So does a sample the recorder took after the file's last good
/// flush when a write then failed: the file went back to that flush, and the sample is lost as `write_failed`.
struct DeviceAccount {
    var received: UInt64
    var loss: LossTotals

    init(_ snap: IngestSnapshot, hostOverrun: UInt64, writeFailed: UInt64 = 0) {
        // Exact once the run has stopped. Read live, the recorder may already have taken or popped samples that
        // the snapshot taken a moment earlier had not yet counted as received: clamp, never trap.
        let moved = min(hostOverrun, snap.samplesReceived)
        received = snap.samplesReceived - moved
        loss = snap.loss
        loss[.hostOverrun] = loss[.hostOverrun].addingSaturating(moved)
        let unwritten = min(writeFailed, received)
        received -= unwritten
        loss[.writeFailed] = loss[.writeFailed].addingSaturating(unwritten)
    }
}

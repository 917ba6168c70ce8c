import MosquitoModel
import Signal

/// One device's samples as the run accounts for them: the ingest's count plus what the host itself dropped.
///
/// A sample the ring had no room for arrived (the ingest counted it received) but never reached the file:
/// it moves from received to lost as host overrun, so `received + loss.total` stays the ingest's
/// `nextIndex`, every index counted once.
struct DeviceAccount {
    var received: UInt64
    var loss: LossTotals

    init(_ snap: IngestSnapshot, hostOverrun: UInt64) {
        // Exact once the run has stopped. Read live, the recorder may already have popped a drop that the
        // snapshot taken a moment earlier had not yet counted as received: clamp, never trap.
        let moved = min(hostOverrun, snap.samplesReceived)
        received = snap.samplesReceived - moved
        loss = snap.loss
        loss.hostOverrun = loss.hostOverrun.addingSaturating(moved)
    }
}

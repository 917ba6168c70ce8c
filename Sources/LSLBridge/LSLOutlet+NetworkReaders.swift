import Acquisition
import LSL

extension LSLOutlet {
    /// The inlets reading this outlet now, as the hub's status lists readers (closed ones are on the Markers
    /// stream and in the command's closing lines).
    var networkReaders: [NetworkReader] {
        inlets.filter(\.connected).map {
            NetworkReader(
                via: "lsl", stream: info.name, peer: $0.peer, hostname: $0.hostname, samplesSent: $0.samplesSent,
                samplesDropped: $0.samplesDropped)
        }
    }
}

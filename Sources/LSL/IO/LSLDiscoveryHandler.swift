import NIOCore
import Synchronization

/// Lets the handlers, created before the responder exists, find it once it does.
final class ResponderBox: Sendable {
    let responder = Mutex<LSLDiscoveryResponder?>(nil)
}

/// The discovery port (16571): shortinfo queries, answered for every stream of this process that matches.
final class LSLDiscoveryHandler: LSLDatagramHandler {
    private let box: ResponderBox

    init(box: ResponderBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let responder = box.responder.withLock({ $0 }),
            case .success(.shortinfo(let query, let port, let id)) = LSLDatagramRequest.parse(envelope.data.readableBytesView)
        else { return }
        var to = envelope.remoteAddress
        to.port = port
        for text in responder.answer(query, queryID: id) { write(text, to: to, context: context) }
        context.flush()
    }
}

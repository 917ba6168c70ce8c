import Foundation
import HTTPTypes
import Hummingbird

/// Every failure a client sees: one HTTP status and one JSON body `{"error": code, "message": text}`.
public enum WebError: Error, Sendable, Equatable, CustomStringConvertible {
    case badRequest(String)
    case unauthorized(String)
    case forbidden(String)
    case notFound(String)
    case conflict(String)
    case payloadTooLarge(String)
    case unavailable(String)
    case badConfiguration(String)
    case internalError(String)

    public var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        case .badConfiguration, .internalError: .internalServerError
        }
    }

    public var code: String {
        switch self {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .payloadTooLarge: "payload_too_large"
        case .unavailable: "unavailable"
        case .badConfiguration: "bad_configuration"
        case .internalError: "internal_error"
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let m), .unauthorized(let m), .forbidden(let m), .notFound(let m), .conflict(let m),
            .payloadTooLarge(let m), .unavailable(let m), .badConfiguration(let m), .internalError(let m):
            m
        }
    }
}

extension WebError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if case .unauthorized = self { headers[.wwwAuthenticate] = "Bearer" }
        let body = try JSONEncoder().encode(["error": code, "message": description])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

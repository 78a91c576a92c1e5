package dev.realtime.server;

/**
 * The limits of the server's plain HTTP side, as {@link RealtimeServer.Builder} set them.
 *
 * @param apiBody                  bodies of the HTTP API ({@code /apps/{id}/…})
 * @param authBody                 bodies of the auth endpoints
 * @param maxInFlightRequestsPerIp requests of the auth endpoints and the HTTP API in flight at once from one address
 */
record HttpLimits(BodyReader.Limits apiBody, BodyReader.Limits authBody, int maxInFlightRequestsPerIp) {
}

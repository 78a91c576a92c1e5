package dev.realtime.spi;

/**
 * The outcome of one {@link OutboundSink#write}: the sink calls exactly one of these methods,
 * exactly once, from any thread (inline inside {@code write} too). Each returns quickly; the queue
 * may hand the next batch to the next sink from inside the call, on the calling thread.
 */
public interface WriteCompletion {
    /** Every frame of the batch was handed to the wire. */
    void succeeded();

    /**
     * The wire is broken (some frames may have reached the peer, some not): the queue ends, drops
     * what is queued and hands {@code cause} to its failure callback unless the wire was already
     * reported gone.
     */
    void failed(Throwable cause);

    /**
     * Nothing of the batch reached the wire, but the session lives on (e.g. the HTTP response this
     * sink wrote to was gone before the write started): the queue detaches the sink (if it is still
     * the attached one) and puts the batch back at the front, in order, for the next sink.
     */
    void notWritten();
}

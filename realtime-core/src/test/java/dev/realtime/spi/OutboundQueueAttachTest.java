package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.OutboundQueueTest.ManualSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sinks that attach and detach, as an HTTP session's responses do: queuing while detached, replacing,
 * one-shot sinks, batches given back, the detach timeout, a close while detached, write failures.
 * The timer is manual: a timeout happens when the test fires it.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a loop bug spins forever: fail, don't hang
class OutboundQueueAttachTest {
    private static final Duration DETACH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

    private final ManualTimer timer = new ManualTimer();
    private final OutboundStats stats = new OutboundStats();
    private final AtomicInteger expired = new AtomicInteger();
    private final List<Throwable> failures = new ArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** A queue writing on the calling thread, with a detach and a close timeout, no sink yet. */
    private OutboundQueue queue(int capacity) {
        return OutboundQueue.builder(capacity).stats(stats).timer(timer)
                .detachTimeout(DETACH_TIMEOUT).closeTimeout(CLOSE_TIMEOUT)
                .onExpired(expired::incrementAndGet).onFailure(failures::add).build();
    }

    private static ManualSink inline() {
        ManualSink s = new ManualSink();
        s.inline = true;
        return s;
    }

    @Test
    void framesQueuedWhileDetachedGoOutInOrderOnceWhenASinkAttaches() {
        OutboundQueue q = queue(10);
        q.offer("a");
        q.offer("b");
        q.offer("c");
        ManualSink sink = inline();
        assertThat(q.attach(sink)).isTrue();
        assertThat(sink.writes).containsExactly(List.of("a", "b", "c"));
        q.offer("d");
        assertThat(sink.writes).containsExactly(List.of("a", "b", "c"), List.of("d"));
    }

    @Test
    void aDetachedSinkGetsNoFurtherWritesAndTheNextSinkGetsWhatQueuedMeanwhile() {
        OutboundQueue q = queue(10);
        ManualSink first = inline();
        q.attach(first);
        q.offer("1");
        assertThat(q.detach(first)).isTrue();
        assertThat(q.detach(first)).as("no longer attached").isFalse();
        q.offer("2");
        q.offer("3");
        assertThat(first.writes).containsExactly(List.of("1"));
        ManualSink second = inline();
        q.attach(second);
        assertThat(second.writes).containsExactly(List.of("2", "3"));
    }

    @Test
    void attachingASinkReplacesTheOldOneAfterTheWriteInFlightCompletesThere() {
        OutboundQueue q = queue(10);
        ManualSink old = new ManualSink();
        q.attach(old);
        q.offer("1");
        q.offer("2");
        ManualSink replacement = inline();
        q.attach(replacement);
        assertThat(replacement.writes).as("one write at a time: the new sink waits for the old one's").isEmpty();
        old.completeNext();
        assertThat(old.writes).containsExactly(List.of("1"));
        assertThat(replacement.writes).containsExactly(List.of("2"));
        q.offer("3");
        assertThat(replacement.writes).containsExactly(List.of("2"), List.of("3"));
        assertThat(q.detach(old)).as("a replaced sink is not attached").isFalse();
    }

    @Test
    void aOneShotSinkGetsExactlyOneBatchAndDetachesItself() {
        OutboundQueue q = queue(10);
        q.offer("1");
        q.offer("2");
        ManualSink poll = inline();
        assertThat(q.attachOnce(poll)).isTrue();
        assertThat(poll.writes).containsExactly(List.of("1", "2"));
        q.offer("3");
        assertThat(poll.writes).hasSize(1);
        assertThat(q.detach(poll)).as("it detached itself when handed its batch").isFalse();
        ManualSink nextPoll = inline();
        q.attachOnce(nextPoll);
        assertThat(nextPoll.writes).containsExactly(List.of("3"));
    }

    @Test
    void aOneShotSinkAttachedToAnEmptyQueueWaitsForTheNextFrame() {
        OutboundQueue q = queue(10);
        ManualSink poll = new ManualSink();
        q.attachOnce(poll);
        assertThat(poll.writes).isEmpty();
        q.offer("1");
        q.offer("2");
        assertThat(poll.writes).containsExactly(List.of("1"));
        assertThat(q.detach(poll)).as("handed a batch: it must complete it").isFalse();
        poll.completeNext();
        assertThat(poll.writes).as("nothing more for a one-shot sink").hasSize(1);
    }

    @Test
    void detachingAOneShotSinkThatGotNothingTellsThePollToAnswerEmpty() {
        OutboundQueue q = queue(10);
        ManualSink poll = inline();
        q.attachOnce(poll);
        assertThat(q.detach(poll)).as("the poll timed out before any frame").isTrue();
        q.offer("1");
        assertThat(poll.writes).isEmpty();
    }

    @Test
    void notWrittenPutsTheBatchBackAtTheFrontInOrderForTheNextSink() {
        OutboundQueue q = queue(10);
        ManualSink gone = new ManualSink();
        q.attach(gone);
        q.offer("1");
        q.offer("2");
        q.offer("3");
        gone.inFlight.remove(0).notWritten();
        assertThat(gone.writes).as("detached: it gets nothing more").containsExactly(List.of("1"));
        q.offer("4");
        assertThat(q.detach(gone)).isFalse();
        ManualSink next = inline();
        q.attach(next);
        assertThat(next.writes).containsExactly(List.of("1", "2", "3", "4"));
        assertThat(stats.writes()).as("a batch given back is counted when written").isEqualTo(1);
        assertThat(stats.frames()).isEqualTo(4);
    }

    @Test
    void notWrittenFromAReplacedSinkGoesToTheSinkAttachedNow() {
        OutboundQueue q = queue(10);
        ManualSink old = new ManualSink();
        q.attach(old);
        q.offer("1");
        q.offer("2");
        ManualSink now = inline();
        q.attach(now);
        old.inFlight.remove(0).notWritten();
        assertThat(now.writes).containsExactly(List.of("1", "2"));
        q.offer("3");
        assertThat(now.writes).as("still attached").containsExactly(List.of("1", "2"), List.of("3"));
    }

    @Test
    void notWrittenInlineInsideWriteLeavesTheFramesForTheNextSink() {
        OutboundQueue q = queue(10);
        List<List<String>> offered = new ArrayList<>();
        q.attach(new OutboundSink() {
            @Override
            public void write(List<String> frames, WriteCompletion done) {
                offered.add(List.copyOf(frames));
                done.notWritten();
            }

            @Override
            public void close(int code, String reason) {
            }

            @Override
            public void abort() {
            }
        });
        q.offer("1");
        q.offer("2");
        assertThat(offered).containsExactly(List.of("1"));
        ManualSink next = inline();
        q.attach(next);
        assertThat(next.writes).containsExactly(List.of("1", "2"));
    }

    @Test
    void offerFailsWhenCapacityFramesWaitForASink() {
        OutboundQueue q = queue(3);
        assertThat(q.offer("1")).isTrue();
        assertThat(q.offer("2")).isTrue();
        assertThat(q.offer("3")).isTrue();
        assertThat(q.offer("4")).as("a detached session is a slow consumer too").isFalse();
        ManualSink sink = inline();
        q.attach(sink);
        assertThat(sink.writes).containsExactly(List.of("1", "2", "3"));
        assertThat(q.offer("4")).isTrue();
    }

    @Test
    void aQueueWithNoSinkWithinTheDetachTimeoutExpiresOnce() {
        OutboundQueue q = queue(10);
        ManualSink sink = inline();
        q.attach(sink);
        q.detach(sink);
        q.offer("lost");
        assertThat(timer.fire(DETACH_TIMEOUT)).isEqualTo(1);
        assertThat(expired).hasValue(1);
        assertThat(q.isOpen()).isFalse();
        assertThat(q.attach(inline())).as("an expired queue takes no sink").isFalse();
        timer.fireEvenCancelled();
        assertThat(expired).hasValue(1);
    }

    @Test
    void aQueueBuiltWithoutASinkExpiresIfNoneAttaches() {
        queue(10);
        timer.fire(DETACH_TIMEOUT);
        assertThat(expired).hasValue(1);
    }

    @Test
    void reattachingWithinTheDetachTimeoutKeepsTheQueue() {
        OutboundQueue q = queue(10);
        ManualSink first = inline();
        q.attach(first);
        q.detach(first);
        q.offer("1");
        ManualSink second = inline();
        q.attach(second);
        assertThat(timer.pending()).as("the attach cancelled the timeout").isEmpty();
        timer.fireEvenCancelled(); // a cancel may come too late to stop the task: it must see the new sink
        assertThat(expired).hasValue(0);
        assertThat(q.isOpen()).isTrue();
        q.offer("2");
        assertThat(second.writes).containsExactly(List.of("1"), List.of("2"));
    }

    @Test
    void aStaleDetachTimeoutDoesNotExpireALaterDetachment() {
        OutboundQueue q = queue(10);
        ManualSink first = inline();
        q.attach(first);
        q.detach(first);
        List<ManualTimer.Task> stale = timer.pending();
        q.attach(inline());
        assertThat(q.detach(first)).as("not attached: no effect").isFalse();
        ManualSink third = inline();
        q.attach(third);
        q.detach(third);
        stale.get(0).runNow();
        assertThat(expired).as("the first detachment's timeout ran after a re-attach").hasValue(0);
        assertThat(timer.fire(DETACH_TIMEOUT)).isEqualTo(1);
        assertThat(expired).hasValue(1);
    }

    @Test
    void theDetachTimeoutStartsOnlyOnceTheOneShotWriteCompletes() {
        OutboundQueue q = queue(10);
        ManualSink poll = new ManualSink();
        q.attachOnce(poll);
        q.offer("1");
        assertThat(timer.pending()).as("a response is being written: the session is not idle").isEmpty();
        poll.completeNext();
        assertThat(timer.fire(DETACH_TIMEOUT)).isEqualTo(1);
        assertThat(expired).hasValue(1);
    }

    @Test
    void aCloseWhileDetachedGoesToTheNextSinkAfterTheFramesWaiting() {
        OutboundQueue q = queue(10);
        q.offer("1");
        q.offer("2");
        q.close(4009, "bye");
        assertThat(q.isOpen()).isFalse();
        ManualSink sink = inline();
        assertThat(q.attach(sink)).isTrue();
        assertThat(sink.writes).containsExactly(List.of("1", "2"));
        assertThat(sink.closes).containsExactly("4009");
        assertThat(q.attach(inline())).as("closed: no sink after the close").isFalse();
    }

    @Test
    void aOneShotSinkTakesTheCloseWhenNothingIsLeftToWrite() {
        OutboundQueue q = queue(10);
        ManualSink poll = inline();
        q.attachOnce(poll);
        q.close(4009, "bye");
        assertThat(poll.closes).containsExactly("4009");
        assertThat(q.detach(poll)).isFalse();
    }

    @Test
    void aCloseWhileDetachedWithNoSinkWithinTheDetachTimeoutExpires() {
        OutboundQueue q = queue(10);
        q.offer("1");
        q.close(4009, "bye");
        assertThat(timer.fire(DETACH_TIMEOUT)).isEqualTo(1);
        assertThat(expired).hasValue(1);
        assertThat(q.attach(inline())).isFalse();
        assertThat(timer.fire(CLOSE_TIMEOUT)).as("the close timeout was cancelled").isZero();
        assertThat(expired).hasValue(1);
    }

    @Test
    void aCloseWhileDetachedExpiresAtTheCloseTimeoutWhenThatComesFirst() {
        OutboundQueue q = queue(10);
        q.close(4009, "bye");
        assertThat(timer.fire(CLOSE_TIMEOUT)).isEqualTo(1);
        assertThat(expired).hasValue(1);
        assertThat(timer.fire(DETACH_TIMEOUT)).isZero();
        assertThat(expired).hasValue(1);
    }

    @Test
    void theCloseTimeoutAbortsTheOneShotSinkStillWriting() {
        OutboundQueue q = queue(10);
        ManualSink poll = new ManualSink();
        q.attachOnce(poll);
        q.offer("1");
        q.close(4009, "bye");
        timer.fire(CLOSE_TIMEOUT);
        assertThat(poll.closes).containsExactly("abort");
        assertThat(expired).hasValue(0);
    }

    @Test
    void aCloseAfterAnOverflowWhileDetachedDropsTheBacklogAndTheNextSinkGetsOnlyTheClose() {
        OutboundQueue q = queue(2);
        q.offer("1");
        q.offer("2");
        assertThat(q.offer("3")).isFalse();
        q.close(4100, "slow");
        ManualSink sink = inline();
        q.attach(sink);
        assertThat(sink.writes).isEmpty();
        assertThat(sink.closes).containsExactly("4100");
    }

    @Test
    void aFailedWriteHandsItsCauseToTheTransportOnce() {
        OutboundQueue q = queue(10);
        ManualSink sink = new ManualSink();
        q.attach(sink);
        q.offer("1");
        q.offer("2");
        IOException reset = new IOException("reset");
        sink.inFlight.remove(0).failed(reset);
        assertThat(failures).containsExactly(reset);
        assertThat(q.isOpen()).isFalse();
        q.offer("3");
        assertThat(sink.writes).hasSize(1);
        assertThat(q.attach(inline())).isFalse();
        assertThat(timer.pending()).as("an ended queue neither expires nor aborts").isEmpty();
    }

    @Test
    void aSinkThatThrowsFailsTheQueueWithWhatItThrew() {
        OutboundQueue q = queue(10);
        IllegalStateException boom = new IllegalStateException("boom");
        q.attach(new OutboundSink() {
            @Override
            public void write(List<String> frames, WriteCompletion done) {
                throw boom;
            }

            @Override
            public void close(int code, String reason) {
            }

            @Override
            public void abort() {
            }
        });
        q.offer("1");
        assertThat(failures).containsExactly(boom);
        assertThat(q.isOpen()).isFalse();
    }

    @Test
    void aWriteFailingAfterTheWireWasReportedGoneIsNotReported() {
        OutboundQueue q = queue(10);
        ManualSink sink = new ManualSink();
        q.attach(sink);
        q.offer("1");
        q.terminated();
        sink.inFlight.remove(0).failed(new IOException("closed"));
        assertThat(failures).isEmpty();
        assertThat(expired).hasValue(0);
    }
}

package io.github.facetoon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.facetoon.app.common.Coalescer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FxEventPumpTest {

    private final List<Runnable> posted = new ArrayList<>();
    private final FxEventPump pump = new FxEventPump(posted::add);

    private void drain() {
        List<Runnable> now = new ArrayList<>(posted);
        posted.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void manyEventsBeforeTheFxThreadRunsCostOnePost() {
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int v = i;
            pump.execute(() -> seen.add(v));
        }
        assertEquals(1, posted.size());
        drain();
        assertEquals(1000, seen.size());
        assertEquals(999, seen.get(999));
    }

    @Test
    void queuedEventsAreNotLostBetweenCoalescedValues() {
        List<String> seen = new ArrayList<>();
        Coalescer<Integer> progress = new Coalescer<>(pump, i -> seen.add("step " + i));
        progress.offer(1);
        pump.execute(() -> seen.add("checkpoint"));
        progress.offer(2);
        pump.execute(() -> seen.add("finished"));
        assertEquals(1, posted.size());
        drain();
        assertEquals(List.of("step 2", "checkpoint", "finished"), seen);
    }

    @Test
    void anEventAfterADrainSchedulesAnotherPass() {
        List<Integer> seen = new ArrayList<>();
        pump.execute(() -> seen.add(1));
        drain();
        pump.execute(() -> seen.add(2));
        assertEquals(1, posted.size());
        drain();
        assertEquals(List.of(1, 2), seen);
    }

    @Test
    void aFailingConsumerDoesNotStopTheOthers() {
        List<Integer> seen = new ArrayList<>();
        pump.execute(() -> {
            throw new IllegalStateException("boom");
        });
        pump.execute(() -> seen.add(1));
        drain();
        assertEquals(List.of(1), seen);
    }
}

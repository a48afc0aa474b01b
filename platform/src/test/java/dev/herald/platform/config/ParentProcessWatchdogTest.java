package dev.herald.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

class ParentProcessWatchdogTest {

    @Test
    void closesTheContextWhenTheLauncherDiesAndLetsTheRestOfTheCloseWait() throws Exception {
        Process launcher = new ProcessBuilder("sleep", "600").start();
        CompletableFuture<Boolean> laterStopWaited = new CompletableFuture<>();
        GenericApplicationContext context = new GenericApplicationContext();
        // stopped after the watch, as the web server's graceful shutdown is: it waits for requests in flight
        context.registerBean("webServer", SmartLifecycle.class, () -> new Waiting(laterStopWaited));
        context.registerBean(
                "parentWatch",
                SmartLifecycle.class,
                () -> new ParentProcessWatchdog.ParentWatch(launcher.pid(), Duration.ofMillis(50), context::close));
        context.refresh();
        try {
            assertThat(context.isActive()).isTrue();

            launcher.destroy();
            launcher.waitFor();

            assertThat(laterStopWaited.get(10, TimeUnit.SECONDS))
                    .as("the later lifecycle's wait was not cut short by an interrupt")
                    .isTrue();
            assertThat(context.isClosed()).isTrue();
        } finally {
            launcher.destroyForcibly();
            context.close();
        }
    }

    @Test
    void stoppingTheAppEndsTheWatchWithoutClosingAnything() throws Exception {
        Process launcher = new ProcessBuilder("sleep", "600").start();
        try {
            CompletableFuture<Void> gone = new CompletableFuture<>();
            ParentProcessWatchdog.ParentWatch watch = new ParentProcessWatchdog.ParentWatch(
                    launcher.pid(), Duration.ofMillis(50), () -> gone.complete(null));
            watch.start();
            assertThat(watch.isRunning()).isTrue();

            watch.stop();
            launcher.destroy();
            launcher.waitFor();
            Thread.sleep(300);

            assertThat(watch.isRunning()).isFalse();
            assertThat(gone).isNotDone();
        } finally {
            launcher.destroyForcibly();
        }
    }

    /** A lifecycle in an earlier phase whose stop waits, and tells whether the wait ran its course. */
    private record Waiting(CompletableFuture<Boolean> waited) implements SmartLifecycle {

        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 1024;
        }

        @Override
        public void start() {}

        @Override
        public void stop() {
            try {
                Thread.sleep(200);
                waited.complete(!Thread.currentThread().isInterrupted());
            } catch (InterruptedException e) {
                waited.complete(false);
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean isRunning() {
            return !waited.isDone();
        }
    }
}

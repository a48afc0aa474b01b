package dev.herald.platform.config;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * When an app runs as a child of a launcher (devstack, the end-to-end test, the benchmarks) that passes {@code
 * herald.parent-pid}, the app shuts down if the launcher dies without stopping it, so no orphan keeps its ports.
 */
@AutoConfiguration
@ConditionalOnProperty("herald.parent-pid")
public class ParentProcessWatchdog {

    private static final Logger log = LoggerFactory.getLogger(ParentProcessWatchdog.class);

    @Bean
    SmartLifecycle parentWatch(ApplicationContext context, Environment env) {
        long pid = Long.parseLong(env.getRequiredProperty("herald.parent-pid"));
        return new ParentWatch(pid, Duration.ofSeconds(1), () -> System.exit(SpringApplication.exit(context, () -> 0)));
    }

    /**
     * Checks every {@code interval} that process {@code pid} is alive, and runs {@code whenGone} on its own thread
     * once it is not (the app's exit, which closes the context and so stops this watch from that same thread).
     */
    static final class ParentWatch implements SmartLifecycle {

        private final long pid;
        private final Duration interval;
        private final Runnable whenGone;
        private volatile Thread watcher;

        ParentWatch(long pid, Duration interval, Runnable whenGone) {
            this.pid = pid;
            this.interval = interval;
            this.whenGone = whenGone;
        }

        @Override
        public void start() {
            watcher = Thread.ofPlatform().daemon().name("parent-watchdog").start(this::watch);
        }

        private void watch() {
            Optional<ProcessHandle> parent = ProcessHandle.of(pid);
            while (!Thread.currentThread().isInterrupted()) {
                if (parent.isEmpty() || !parent.get().isAlive()) {
                    log.warn("Launcher process {} is gone; shutting down", pid);
                    whenGone.run();
                    return;
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void stop() {
            Thread current = watcher;
            watcher = null;
            // When the launcher is gone the watcher itself closes the context, and so calls this. Interrupting it
            // then would leave its interrupt flag set for the rest of the close: every wait there would return at
            // once, the web server's graceful shutdown would be cut short, and Reactor Netty's abort, which polls
            // with a sleep, would spin on a full core for ever
            if (current != null && current != Thread.currentThread()) {
                current.interrupt();
            }
        }

        @Override
        public boolean isRunning() {
            return watcher != null;
        }
    }
}

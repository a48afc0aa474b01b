package dev.herald.platform.config;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * When an app runs as a child of a launcher (devstack, the end-to-end test) that passes {@code
 * herald.parent-pid}, the app shuts down if the launcher dies without stopping it, so no orphan keeps its
 * ports.
 */
@AutoConfiguration
@ConditionalOnProperty("herald.parent-pid")
public class ParentProcessWatchdog {

    private static final Logger log = LoggerFactory.getLogger(ParentProcessWatchdog.class);

    @Bean
    SmartLifecycle parentWatch(ApplicationContext context, org.springframework.core.env.Environment env) {
        long pid = Long.parseLong(env.getRequiredProperty("herald.parent-pid"));
        return new SmartLifecycle() {
            private volatile Thread watcher;

            @Override
            public void start() {
                watcher = Thread.ofPlatform().daemon().name("parent-watchdog").start(() -> {
                    Optional<ProcessHandle> parent = ProcessHandle.of(pid);
                    while (!Thread.currentThread().isInterrupted()) {
                        if (parent.isEmpty() || !parent.get().isAlive()) {
                            log.warn("Launcher process {} is gone; shutting down", pid);
                            System.exit(SpringApplication.exit(context, () -> 0));
                        }
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
            }

            @Override
            public void stop() {
                Thread current = watcher;
                if (current != null) {
                    current.interrupt();
                }
                watcher = null;
            }

            @Override
            public boolean isRunning() {
                return watcher != null;
            }
        };
    }
}

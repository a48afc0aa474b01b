package dev.herald.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import reactor.core.publisher.Mono;

class ScopeRulesTest {

    static class Things {
        @PreAuthorize("hasAuthority('SCOPE_things:read')")
        void get() {}

        @PreAuthorize("isAuthenticated()")
        void me() {}

        @PreAuthorize("hasAuthority('SCOPE_things:write')")
        void put() {}
    }

    private final ScopeRules rules = rules();

    @Test
    void theScopeOfTheEndpointARequestReachesIsNeededBeforeAnythingElse() {
        assertThat(granted(HttpMethod.GET, "/things/7", "SCOPE_things:read")).isTrue();
        assertThat(granted(HttpMethod.GET, "/things/7", "SCOPE_things:write")).isFalse();
        assertThat(granted(HttpMethod.PUT, "/things/7", "SCOPE_things:read")).isFalse();
        assertThat(granted(HttpMethod.PUT, "/things/7", "SCOPE_things:write")).isTrue();
        assertThat(granted(HttpMethod.HEAD, "/things/7", "SCOPE_things:write")).isFalse();
    }

    @Test
    void theMostSpecificPatternDecidesAndWhatNoRuleReadsNeedsOnlyAToken() {
        // /things/me is not /things/{id}: its own @PreAuthorize, which is not a plain scope, decides later
        assertThat(granted(HttpMethod.GET, "/things/me", "SCOPE_other")).isTrue();
        assertThat(granted(HttpMethod.GET, "/nothing/here", "SCOPE_other")).isTrue();
        assertThat(rules.authorize(Mono.empty(), context(HttpMethod.GET, "/nothing/here"))
                        .block(Duration.ofSeconds(5))
                        .isGranted())
                .as("without a token")
                .isFalse();
    }

    private boolean granted(HttpMethod method, String path, String authority) {
        Authentication token = new TestingAuthenticationToken("client", "n/a", authority);
        return rules.authorize(Mono.just(token), context(method, path))
                .block(Duration.ofSeconds(5))
                .isGranted();
    }

    private static AuthorizationContext context(HttpMethod method, String path) {
        return new AuthorizationContext(MockServerWebExchange.from(MockServerHttpRequest.method(method, path)));
    }

    private static ScopeRules rules() {
        RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping();
        Things things = new Things();
        register(mapping, things, "get", RequestMethod.GET, "/things/{id}");
        register(mapping, things, "me", RequestMethod.GET, "/things/me");
        register(mapping, things, "put", RequestMethod.PUT, "/things/{id}");
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("mapping", mapping));
        return new ScopeRules(beans.getBeanProvider(RequestMappingHandlerMapping.class));
    }

    private static void register(
            RequestMappingHandlerMapping mapping, Object handler, String name, RequestMethod method, String path) {
        try {
            Method target = handler.getClass().getDeclaredMethod(name);
            mapping.registerMapping(
                    RequestMappingInfo.paths(path).methods(method).build(), handler, target);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}

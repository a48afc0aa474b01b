package dev.herald.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.AuthenticatedReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorityReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.condition.PatternsRequestCondition;
import org.springframework.web.reactive.result.condition.RequestMethodsRequestCondition;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Checks the scope an endpoint's {@code @PreAuthorize("hasAuthority('SCOPE_…')")} names in the security filter
 * chain, before anything reads the request body: method security alone runs once the arguments are bound, so a
 * token without the scope got the body's {@code 400} or {@code 415} rather than {@code 403}, after the work of
 * reading it. A request is matched to endpoints by path pattern and method alone (a body of another type still
 * gets its {@code 403}); one that matches no such endpoint needs an authenticated token, as before. Method security
 * stays, and decides whatever these rules cannot read.
 */
final class ScopeRules implements ReactiveAuthorizationManager<AuthorizationContext> {

    private static final Pattern HAS_AUTHORITY = Pattern.compile("^\\s*hasAuthority\\('([^']+)'\\)\\s*$");

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;
    private final ReactiveAuthorizationManager<AuthorizationContext> authenticated =
            AuthenticatedReactiveAuthorizationManager.authenticated();
    private volatile List<Rule> rules;

    ScopeRules(ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    /** Endpoints of one path pattern and method, and the authority their {@code @PreAuthorize} names. */
    private record Rule(
            PatternsRequestCondition patterns,
            RequestMethodsRequestCondition methods,
            String authority,
            ReactiveAuthorizationManager<AuthorizationContext> check) {

        boolean matches(ServerWebExchange exchange) {
            return patterns.getMatchingCondition(exchange) != null && methods.getMatchingCondition(exchange) != null;
        }
    }

    @Override
    public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
        Rule first = null;
        Set<String> several = null;
        for (Rule rule : rules()) {
            if (!rule.matches(context.getExchange())) {
                continue;
            }
            if (first == null) {
                first = rule;
            } else if (!first.authority().equals(rule.authority())) {
                several = several == null ? new java.util.HashSet<>(Set.of(first.authority())) : several;
                several.add(rule.authority());
            }
        }
        if (first == null) {
            return authenticated.authorize(authentication, context);
        }
        if (several == null) {
            return first.check().authorize(authentication, context);
        }
        // endpoints of one path and method that need different scopes: any of them lets the request reach its own
        return AuthorityReactiveAuthorizationManager.<AuthorizationContext>hasAnyAuthority(
                        several.toArray(String[]::new))
                .authorize(authentication, context);
    }

    /** Read from the handler mappings once they are there: on the first request. */
    private List<Rule> rules() {
        List<Rule> known = rules;
        if (known == null) {
            List<Rule> found = new ArrayList<>();
            mappings.orderedStream()
                    .forEach(mapping -> mapping.getHandlerMethods().forEach((info, method) -> {
                        String authority = authority(method);
                        if (authority != null) {
                            found.add(new Rule(
                                    info.getPatternsCondition(),
                                    info.getMethodsCondition(),
                                    authority,
                                    AuthorityReactiveAuthorizationManager.hasAuthority(authority)));
                        }
                    }));
            known = List.copyOf(found);
            rules = known;
        }
        return known;
    }

    /** The authority a handler's {@code @PreAuthorize} needs, when it is a plain {@code hasAuthority}. */
    static String authority(HandlerMethod method) {
        PreAuthorize annotation = method.getMethodAnnotation(PreAuthorize.class);
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), PreAuthorize.class);
        }
        if (annotation == null) {
            return null;
        }
        Matcher authority = HAS_AUTHORITY.matcher(annotation.value());
        return authority.matches() ? authority.group(1) : null;
    }
}

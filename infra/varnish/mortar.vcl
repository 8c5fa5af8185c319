# Mortar's HTTP cache in front of the renderer(s): Varnish with xkey.
#
# Pages are cached under the tags the renderer names in their `xkey` header
# (web/lib/cache-tags.ts); the CMS purges by tag after every change, with
#   PURGE / HTTP/1.1
#   X-Purge-Secret: <REVALIDATE_SECRET>
#   xkey-purge: path:/about/ navigation
# A response for one Host is never served for another (the hash holds the Host).
# Drafts, previews, the renderer's API routes and anything with a session cookie
# bypass the cache. When every renderer is down, cached pages are served stale.
#
# backends.vcl (beside this file, written per deployment) defines the renderers and
# `sub mortar_backends`, which sets `req.backend_hint`.
vcl 4.1;

import std;
import xkey;

include "./backends.vcl";

sub vcl_recv {
    call mortar_backends;

    if (req.method == "PURGE") {
        # The secret comes from varnishd's environment (MORTAR_PURGE_SECRET).
        if (std.getenv("MORTAR_PURGE_SECRET") == ""
                || req.http.X-Purge-Secret != std.getenv("MORTAR_PURGE_SECRET")) {
            return (synth(401, "Invalid or missing purge secret"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Give the tags to purge in xkey-purge"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The renderer's own routes (preview, revalidation) and its draft mode; search results
    # (one entry per query would grow without bound).
    if (req.url ~ "^/api/" || req.url ~ "^/search(/|\?|$)" || req.http.Cookie ~ "(^|;\s*)(__prerender_bypass|__next_preview_data|mortar_preview|mortar_page_access_[0-9]+|sessionid|csrftoken)=") {
        return (pass);
    }
    # No other cookie changes a page: keep them out of the cache's way.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.host);
    return (lookup);
}

sub vcl_backend_response {
    # The renderer failed (most often: the CMS is down and the page is not in its cache).
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch) {
            return (abandon);  # keep serving the stale copy this fetch was to refresh
        }
        # The site's own error page, as "try again later" for browsers and crawlers.
        set beresp.status = 503;
        set beresp.reason = "Service Unavailable";
        set beresp.http.Retry-After = "30";
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    if (bereq.url ~ "^/_next/static/") {
        set beresp.ttl = 365d;
    } elsif (beresp.status == 200 || beresp.status == 404 || beresp.status == 308) {
        # As long as the renderer keeps it (its s-maxage); purges make it fresh sooner.
        if (beresp.ttl <= 0s) {
            set beresp.uncacheable = true;
            return (deliver);
        }
    } else {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # Stale beats an error while the renderer cannot answer.
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_backend_error {
    # A renderer that went away since its last probe (up to two probe intervals): ask the
    # next one of the round robin once, rather than answer 503. Bodiless requests only: a
    # POST's body is not kept for a second try.
    if (bereq.retries == 0 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

sub vcl_deliver {
    # The tags and Next.js's own cache headers are between the renderer and this cache.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    return (deliver);
}

sub vcl_synth {
    set resp.http.Content-Type = "application/json";
    set resp.body = {"{"message": ""} + resp.reason + {"""} + "}";
    return (deliver);
}

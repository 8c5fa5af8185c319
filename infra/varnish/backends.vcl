# The renderers behind the HTTP cache, for docker-compose.yml (services web-1, web-2).
# One backend per renderer: Varnish refuses a host name that resolves to several
# addresses, so replicas are listed one by one (a third: a backend web3 and its
# add_backend line). Probed, so a renderer that is down is skipped until it answers again.
vcl 4.1;

import directors;

probe renderer_alive {
    .url = "/robots.txt";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend web1 {
    .host = "web-1";
    .port = "3000";
    .probe = renderer_alive;
}

backend web2 {
    .host = "web-2";
    .port = "3000";
    .probe = renderer_alive;
}

sub vcl_init {
    new renderers = directors.round_robin();
    renderers.add_backend(web1);
    renderers.add_backend(web2);
}

sub mortar_backends {
    set req.backend_hint = renderers.backend();
}

# The renderers behind the HTTP cache, for docker-compose.yml (service `web`, 2 replicas
# resolve to one name; list each host when they have their own). Probed, so a renderer
# that is down is skipped until it answers again.
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
    .host = "web";
    .port = "3000";
    .probe = renderer_alive;
}

sub vcl_init {
    new renderers = directors.round_robin();
    renderers.add_backend(web1);
}

sub mortar_backends {
    set req.backend_hint = renderers.backend();
}

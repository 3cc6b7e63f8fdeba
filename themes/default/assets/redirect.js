// An old address's page: go on to the new one, keeping the query and #fragment that the meta
// refresh drops. The target is the page's own link, so a preview on another host stays there.
(function () {
  var link = document.getElementById("redirect-target");
  if (link) {
    location.replace(link.href.split("#")[0] + location.search + location.hash);
  }
})();

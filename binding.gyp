{
  "targets": [
    {
      "target_name": "exir_scan",
      "sources": ["native/exir_scan.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"]
    }
  ]
}

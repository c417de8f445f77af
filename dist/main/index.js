import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as e}from"./chunk-EI42IV2R.js";import"./chunk-EYSLYLRF.js";if(process.argv[2]===e){let{serveRefreshes:r}=await import("./helper-4HMXXCJK.js");r()}else{let{run:r}=await import("./main-6ZJJOH4L.js");await r()}

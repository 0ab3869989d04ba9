// Prints the JSON-LD contexts Fedify ships preloaded (ActivityStreams, security), for the
// pyld check of our documents: no network, and no copy of them in this repository.
import { fetchDocumentLoader } from "@fedify/fedify";

const urls = process.argv.slice(2);
const contexts = {};
for (const url of urls) contexts[url] = (await fetchDocumentLoader(url)).document;
console.log(JSON.stringify(contexts));
